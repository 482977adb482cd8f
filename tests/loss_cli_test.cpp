// `sigma loss` and `sigma eval softmax` against the library: every loss of the catalog, its
// gradient and a parameter away from its default, read back from the command's output.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <sigma/sigma.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace sigma {
namespace {

struct Output {
  int status;
  std::string text;  // stdout, then stderr
};

// Runs sigma with `arguments` and, on standard input, `input` as printf's format reads it.
Output RunSigma(const std::string& arguments, const std::string& input = "") {
  const std::string command =
      "printf '" + input + "' | " + std::string(SIGMA_CLI) + " " + arguments + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return {-1, "popen failed"};
  std::string text;
  std::array<char, 4096> buffer{};
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) {
    text.append(buffer.data(), n);
  }
  const int status = pclose(pipe.release());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

std::vector<double> Numbers(const std::string& text) {
  std::istringstream in(text);
  std::vector<double> values;
  for (std::string word; in >> word;) values.push_back(std::stod(word));
  return values;
}

std::string Join(const std::vector<double>& values) {
  std::ostringstream out;
  out.precision(17);
  for (std::size_t i = 0; i < values.size(); ++i) out << (i == 0 ? "" : ",") << values[i];
  return out.str();
}

// Valid labels and inputs for `info`, from what the catalog says it takes: two rows of three
// classes, or six elements. Labels of 0 and 1 suit every loss that has no class ids (hinge reads
// them as -1 and 1, poisson as counts).
struct Case {
  std::vector<double> labels, inputs;
};

Case MakeCase(const LossInfo& info) {
  Case c;
  switch (info.input) {
    case LossInput::kLogits:
      c.inputs = {-2.5, 0.25, 3, 1, -1, 0.5};
      break;
    case LossInput::kProbabilities:
      c.inputs = {0.125, 0.5, 0.375, 0.75, 0.05, 0.2};
      break;
    case LossInput::kPredictions:
      c.inputs = {0.5, 2.25, 1, 0.125, 3, 1.5};
      break;
  }
  c.labels = info.class_ids ? std::vector<double>{2, 0} : std::vector<double>{0, 1, 0, 1, 1, 0};
  return c;
}

TEST(LossCli, EveryLossMatchesTheLibrary) {
  ASSERT_FALSE(loss_catalog().empty());
  for (const LossInfo& info : loss_catalog()) {
    const Case c = MakeCase(info);
    std::vector<double> params;
    std::string spec(info.name);
    for (const ParamInfo& p : info.params) {
      params.push_back(p.default_value + 0.5);  // in every parameter's domain
      spec += params.size() == 1 ? ':' : ',';
      spec += std::string(p.name) + "=" + std::to_string(params.back());
    }
    const std::vector<std::size_t> shape = {2, 3};
    const std::size_t examples = info.over_classes ? 2 : 6;
    for (const bool grad : {false, true}) {
      for (const auto& [reduction, name] :
           {std::pair{Reduction::kNone, "none"}, std::pair{Reduction::kMean, "mean"}}) {
        SCOPED_TRACE(spec + (grad ? " --grad" : "") + " --reduction " + name);
        std::vector<double> loss(reduction == Reduction::kNone ? examples : 1);
        std::vector<double> gradient(c.inputs.size());
        evaluate_loss(info, params, c.labels, c.inputs, loss, gradient,
                      info.over_classes ? std::span<const std::size_t>(shape)
                                        : std::span<const std::size_t>(),
                      -1, reduction);
        const Output out =
            RunSigma("loss " + spec + " --dtype f64 --labels=" + Join(c.labels) +
                     " --logits=" + Join(c.inputs) + (info.over_classes ? " --classes 3" : "") +
                     " --reduction " + name + (grad ? " --grad" : ""));
        ASSERT_EQ(out.status, 0) << out.text;
        // The shortest text that reads back to the same double: equal, not close.
        EXPECT_EQ(Numbers(out.text), grad ? gradient : loss);
      }
    }
  }
}

TEST(LossCli, FloatIsTheLibrarysFloat) {
  const LossInfo& info = *find_loss("sparse_softmax_cross_entropy_with_logits");
  const std::vector<float> labels = {2}, logits = {1, 2, 3};
  std::vector<float> loss(1), grad(3);
  evaluate_loss(info, {}, labels, logits, loss, grad);
  const Output out =
      RunSigma("loss sparse_softmax_cross_entropy_with_logits --labels 2 --logits 1 2 3");
  ASSERT_EQ(out.status, 0) << out.text;
  EXPECT_EQ(std::stof(out.text), loss[0]);  // the shortest text that reads back to the float
}

// Bad input: one line, "sigma: error: ...", status 1.
void ExpectError(const std::string& arguments, const std::string& part) {
  SCOPED_TRACE(arguments);
  const Output out = RunSigma(arguments);
  EXPECT_EQ(out.status, 1);
  EXPECT_EQ(out.text.rfind("sigma: error: ", 0), 0u) << out.text;
  EXPECT_EQ(out.text.find('\n'), out.text.size() - 1) << out.text;
  EXPECT_NE(out.text.find(part), std::string::npos) << out.text;
}

TEST(LossCli, BadInputIsOneLine) {
  ExpectError("loss nope --labels 1 --logits 1", "unknown loss 'nope'; the losses are sigmoid_");
  ExpectError("loss mse --labels 1 2 --logits 1", "mismatched sizes");
  ExpectError("loss sparse_softmax_cross_entropy_with_logits --labels 3 --logits 1 2 3",
              "label 3 at row 0 is not a class id in [0, 3)");
  ExpectError("loss sparse_softmax_cross_entropy_with_logits --labels -1 --logits 1 2 3",
              "not a class id");
  ExpectError("loss bce --labels nan --logits 0.5", "label 1 is NaN");
  ExpectError("loss bce --labels 0.5 --probabilities 1.5", "probability 1.5 at index 0");
  ExpectError("loss huber:delta=-1 --labels 1 --predictions 1", "delta must be positive");
  ExpectError("loss huber:dlta=1 --labels 1 --predictions 1", "no parameter 'dlta'");
  ExpectError("loss mse --labels 1 --predictions x", "--predictions: cannot read 'x'");
  ExpectError("loss mse --labels 1 --predictions 1 --classes 2", "--classes is for the losses");
  ExpectError("loss kld --labels 1 0 0 --probabilities 0.5 0.5 0 --classes 2",
              "do not make rows of --classes 2");
}

TEST(EvalCli, SoftmaxOfARow) {
  const Output out = RunSigma("eval softmax 1 2 3");
  ASSERT_EQ(out.status, 0) << out.text;
  EXPECT_EQ(out.text, "0.09003057\n0.24472848\n0.66524094\n");
}

TEST(EvalCli, RowFunctionsMatchTheLibrary) {
  const std::vector<double> x = {0.5, -1.25, 3, 2}, dy = {1, -2, 0.5, 0.25};
  using Forward =
      void (*)(std::span<const double>, std::span<double>, std::span<const std::size_t>, int);
  using Backward = void (*)(std::span<const double>, std::span<const double>, std::span<double>,
                            std::span<const std::size_t>, int);
  const struct {
    const char* name;
    Forward forward;
    Backward backward;
  } functions[] = {{"softmax", softmax, softmax_backward},
                   {"log_softmax", log_softmax, log_softmax_backward},
                   {"softmin", softmin, softmin_backward}};
  for (const auto& f : functions) {
    SCOPED_TRACE(f.name);
    std::vector<double> y(x.size()), dx(x.size());
    f.forward(x, y, {}, -1);
    f.backward(y, dy, dx, {}, -1);
    const Output forward = RunSigma(std::string("eval ") + f.name + " --dtype f64 0.5 -1.25 3 2");
    ASSERT_EQ(forward.status, 0) << forward.text;
    EXPECT_EQ(Numbers(forward.text), y);
    const Output backward =
        RunSigma(std::string("eval ") + f.name + " --dtype f64 0.5 -1.25 3 2 --grad 1 -2 0.5 0.25");
    ASSERT_EQ(backward.status, 0) << backward.text;
    EXPECT_EQ(Numbers(backward.text), dx);
  }
}

TEST(EvalCli, RowsFromStandardInputPrintARowPerLine) {
  const Output out = RunSigma("eval log_softmax --dtype f64");
  EXPECT_EQ(out.status, 0);
  EXPECT_EQ(out.text, "");
  const Output rows = RunSigma("eval softmax", "0 0\\n\\n1 2 3");
  ASSERT_EQ(rows.status, 0) << rows.text;
  EXPECT_EQ(rows.text, "0.5 0.5\n0.09003057 0.24472848 0.66524094\n");
}

TEST(EvalCli, BadRowsAreOneLine) {
  ExpectError("eval softmax 1 2 --grad 1", "--grad has 1 DY values for a row of 2");
  ExpectError("eval softmax 1 2 --grad", "--grad needs the row's DY values");
  ExpectError("eval softmax:axis=0 1 2", "softmax takes no parameters");
  ExpectError("eval softmin 1 x", "cannot parse 'x' (value 2)");
}

}  // namespace
}  // namespace sigma
