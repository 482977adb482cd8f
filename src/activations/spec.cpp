// Parsing and printing of activation specs: NAME[:KEY=VALUE[,KEY=VALUE...]].
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sigma/activation.hpp>
#include <sigma/error.hpp>
#include <string>
#include <vector>

namespace sigma {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

// Up to three candidates closest to `word`, within a distance that scales with its length.
std::string suggest(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::string key = lower(word);
  const std::size_t limit = std::max<std::size_t>(2, key.size() / 3);
  std::vector<std::pair<std::size_t, std::string_view>> close;
  for (std::string_view c : candidates) {
    std::size_t d = edit_distance(key, c);
    // A prefix ("leaky" for "leaky_relu") is a strong hint even when the distance is large.
    if (key.size() >= 3 && c.starts_with(key)) d = std::min(d, std::size_t{1});
    if (d <= limit) close.emplace_back(d, c);
  }
  std::stable_sort(close.begin(), close.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (std::size_t i = 0; i < close.size() && i < 3; ++i) {
    if (std::find_if(close.begin(), close.begin() + i, [&](const auto& p) {
          return p.second == close[i].second;
        }) != close.begin() + i) {
      continue;
    }
    out += out.empty() ? "; did you mean '" : " or '";
    out += close[i].second;
    out += "'";
  }
  return out.empty() ? out : out + "?";
}

std::string shortest(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, end);
}

// A number, or a ratio of two numbers ("1/6") so that defaults like slope=1/6 can be written.
bool parse_number(std::string_view text, double* value) {
  const auto parse_one = [](std::string_view s, double* out) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
  };
  if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    double numerator = 0, denominator = 0;
    if (!parse_one(trim(text.substr(0, slash)), &numerator) ||
        !parse_one(trim(text.substr(slash + 1)), &denominator) || denominator == 0) {
      return false;
    }
    *value = numerator / denominator;
    return true;
  }
  return parse_one(text, value);
}

const ParamInfo* find_param(const FunctionInfo& f, std::string_view key) {
  const std::string k = lower(key);
  for (const ParamInfo& p : f.params) {
    if (p.name == k || (!p.alias.empty() && p.alias == k)) return &p;
  }
  return nullptr;
}

std::string parameter_list(const FunctionInfo& f) {
  if (f.params.empty()) return std::string(f.name) + " takes no parameters";
  std::string out = "parameters of " + std::string(f.name) + ":";
  for (const ParamInfo& p : f.params) out += " " + std::string(p.name);
  return out;
}

std::string domain_problem(const ParamInfo& p, double v) {
  if (!std::isfinite(v)) return "must be finite";
  switch (p.domain) {
    case Domain::kNonNegative:
      return v >= 0 ? "" : "must be >= 0";
    case Domain::kPositive:
      return v > 0 ? "" : "must be > 0";
    case Domain::kNonZero:
      return v != 0 ? "" : "must not be 0";
    case Domain::kFinite:
    case Domain::kChoice:
      break;
  }
  return "";
}

double parse_value(const FunctionInfo& f, const ParamInfo& p, std::string_view text) {
  const std::string where = std::string(f.name) + ":" + std::string(p.name);
  if (p.domain == Domain::kChoice) {
    const std::string v = lower(text);
    for (std::size_t i = 0; i < p.choices.size(); ++i) {
      if (p.choices[i] == v) return static_cast<double>(i);
    }
    std::string options;
    for (std::string_view c : p.choices) options += (options.empty() ? "" : ", ") + std::string(c);
    throw Error(where + " must be one of " + options + ", got '" + std::string(text) + "'");
  }
  double value = 0;
  if (!parse_number(text, &value)) {
    throw Error(where + ": cannot parse '" + std::string(text) + "' as a number");
  }
  if (const std::string problem = domain_problem(p, value); !problem.empty()) {
    throw Error(where + " " + problem + ", got " + shortest(value));
  }
  return value;
}

}  // namespace

Activation Activation::parse(std::string_view spec) {
  spec = trim(spec);
  const std::size_t colon = spec.find(':');
  const std::string_view name = trim(spec.substr(0, colon));
  if (name.empty()) throw Error("empty activation name in spec '" + std::string(spec) + "'");
  const FunctionInfo* f = find_function(name);
  if (f == nullptr) {
    std::vector<std::string_view> names;
    for (const FunctionInfo& entry : catalog()) {
      names.push_back(entry.name);
      names.insert(names.end(), entry.aliases.begin(), entry.aliases.end());
    }
    throw Error("unknown activation '" + std::string(name) + "'" + suggest(name, names) +
                " (sigma list shows them all)");
  }

  Params params{};
  for (std::size_t i = 0; i < f->params.size(); ++i) params[i] = f->params[i].default_value;
  if (colon != std::string_view::npos) {
    std::string_view rest = spec.substr(colon + 1);
    if (trim(rest).empty()) throw Error("no parameters after ':' in '" + std::string(spec) + "'");
    std::vector<const ParamInfo*> seen;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      const std::size_t equals = item.find('=');
      if (equals == std::string_view::npos) {
        throw Error("expected KEY=VALUE, got '" + std::string(item) + "' in '" + std::string(spec) +
                    "'");
      }
      const std::string_view key = trim(item.substr(0, equals));
      const std::string_view text = trim(item.substr(equals + 1));
      const ParamInfo* p = find_param(*f, key);
      if (p == nullptr) {
        std::vector<std::string_view> keys;
        for (const ParamInfo& q : f->params) keys.push_back(q.name);
        throw Error(std::string(f->name) + " has no parameter '" + std::string(key) + "'" +
                    suggest(key, keys) + " (" + parameter_list(*f) + ")");
      }
      if (std::find(seen.begin(), seen.end(), p) != seen.end()) {
        throw Error(std::string(f->name) + ":" + std::string(p->name) + " is given twice");
      }
      seen.push_back(p);
      if (text.empty()) {
        throw Error(std::string(f->name) + ":" + std::string(p->name) + " has no value");
      }
      params[static_cast<std::size_t>(p - f->params.data())] = parse_value(*f, *p, text);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  }
  if (f->check_params != nullptr) {
    if (const char* problem = f->check_params(params)) throw Error(problem);
  }
  return Activation(f, params);
}

double Activation::param(std::string_view key) const {
  const ParamInfo* p = find_param(*info_, key);
  if (p == nullptr) {
    throw Error(std::string(info_->name) + " has no parameter '" + std::string(key) + "' (" +
                parameter_list(*info_) + ")");
  }
  return params_[static_cast<std::size_t>(p - info_->params.data())];
}

std::string Activation::spec() const {
  std::string out(info_->name);
  char separator = ':';
  for (std::size_t i = 0; i < info_->params.size(); ++i) {
    const ParamInfo& p = info_->params[i];
    // -0.0 is not the default 0.0: threshold's value=-0 gives f(0) = -0.
    if (params_[i] == p.default_value &&
        std::signbit(params_[i]) == std::signbit(p.default_value)) {
      continue;
    }
    out += separator;
    out += std::string(p.name) + "=";
    out += p.domain == Domain::kChoice
               ? std::string(p.choices[static_cast<std::size_t>(params_[i])])
               : shortest(params_[i]);
    separator = ',';
  }
  return out;
}

}  // namespace sigma
