#include "list_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sigma/sigma.hpp>
#include <string_view>
#include <vector>

#include "numbers.hpp"
#include "text.hpp"

namespace sigma::cli {
namespace {

using Json = nlohmann::ordered_json;  // keeps the fields in the order written

constexpr std::size_t kDetailLabelWidth = 22;
constexpr std::size_t kMinTextWidth = 40;
constexpr int kTableDigits = 6;

std::string_view DomainName(Domain domain) {
  switch (domain) {
    case Domain::kFinite:
      return "finite";
    case Domain::kNonNegative:
      return "non_negative";
    case Domain::kPositive:
      return "positive";
    case Domain::kNonZero:
      return "non_zero";
    case Domain::kChoice:
      return "choice";
  }
  return "unknown";
}

// The default as one would write it in a spec: a choice parameter's default is the option's name.
std::string DefaultText(const ParamInfo& param) {
  if (param.domain == Domain::kChoice) {
    const auto index = static_cast<std::size_t>(param.default_value);
    if (index < param.choices.size()) return std::string(param.choices[index]);
  }
  return FormatNumber(param.default_value);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Shortens every decimal number of more than kTableDigits digits in `text` to that many
// significant digits, as 1/3 or silu's minimum would otherwise widen the table.
std::string CompactNumbers(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size() && (IsDigit(text[end]) || text[end] == '.')) ++end;
    if (end == i) {
      out += text[i++];
      continue;
    }
    const std::string_view number = text.substr(i, end - i);
    double value = 0;
    const auto digits = std::count_if(number.begin(), number.end(), IsDigit);
    if (digits > kTableDigits && ParseNumber(number, value) == NumberStatus::kOk) {
      out += fmt::format("{:.{}g}", value, kTableDigits);
    } else {
      out += number;
    }
    i = end;
  }
  return out;
}

std::string ParamsText(const FunctionInfo& info) {
  std::vector<std::string> parts;
  for (const ParamInfo& param : info.params) {
    parts.push_back(fmt::format("{}={}", param.name, CompactNumbers(DefaultText(param))));
  }
  return Join(parts, ", ");
}

// One letter per property (kPropertyFields), in fixed places, so that the column stays narrow.
std::string Flags(const Properties& p) {
  std::string flags;
  for (const PropertyField& field : kPropertyFields)
    flags += p.*field.accessor ? field.letter : '-';
  return flags;
}

std::string FlagsLegend() {
  std::vector<std::string> parts;
  for (const PropertyField& field : kPropertyFields) {
    parts.push_back(fmt::format("{} {}", field.letter, field.label));
  }
  return "FLAGS: " + Join(parts, ", ") + ".";
}

std::vector<std::string_view> PropertyNames(const Properties& p) {
  std::vector<std::string_view> names;
  for (const PropertyField& field : kPropertyFields) {
    if (p.*field.accessor) names.push_back(field.label);
  }
  return names;
}

// Whether backward_from_output works at the default parameters (it may depend on them).
bool BackwardFromOutput(const FunctionInfo& info) {
  return Activation::parse(info.name).has_backward_from_output();
}

const FunctionInfo& FindFunction(std::string_view name) {
  if (const FunctionInfo* info = find_function(name)) return *info;
  return Activation::parse(name).info();  // throws, naming the closest functions
}

std::vector<std::string> Strings(std::span<const std::string_view> views) {
  return {views.begin(), views.end()};
}

// JSON has no infinity: an unbounded end of the range is null.
Json FiniteOrNull(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json ParamJson(const ParamInfo& param) {
  Json json;
  json["name"] = param.name;
  json["alias"] = param.alias;
  json["default"] =
      param.domain == Domain::kChoice ? Json(DefaultText(param)) : Json(param.default_value);
  json["domain"] = DomainName(param.domain);
  json["choices"] = Strings(param.choices);
  json["description"] = param.description;
  return json;
}

Json PropertiesJson(const Properties& p) {
  Json json = Json::object();
  for (const PropertyField& field : kPropertyFields) json[field.name] = p.*field.accessor;
  return json;
}

Json FunctionJson(const FunctionInfo& info) {
  Json json;
  json["name"] = info.name;
  json["aliases"] = Strings(info.aliases);
  json["params"] = Json::array();
  for (const ParamInfo& param : info.params) json["params"].push_back(ParamJson(param));
  json["summary"] = info.summary;
  json["formula"] = info.formula;
  json["derivative"] = info.derivative;
  json["from_output"] = info.from_output;
  json["backward_from_output"] = BackwardFromOutput(info);
  json["range"] = info.range;
  json["range_min"] = FiniteOrNull(info.range_min);
  json["range_max"] = FiniteOrNull(info.range_max);
  json["properties"] = PropertiesJson(info.properties);
  json["notes"] = info.notes;
  return json;
}

std::string CatalogTable(std::size_t width) {
  static constexpr Column kColumns[] = {
      {"NAME", 20},
      {"ALIASES", 12},
      {"PARAMETERS", 18},
      {"RANGE", 16},
      {"FLAGS", std::size(kPropertyFields)},
      {"SUMMARY", 0},
  };
  std::vector<std::vector<std::string>> rows;
  for (const FunctionInfo& info : catalog()) {
    rows.push_back({std::string(info.name), Join(info.aliases, ", "), ParamsText(info),
                    CompactNumbers(info.range), Flags(info.properties), std::string(info.summary)});
  }
  std::string out = RenderTable(kColumns, rows, width);
  out += '\n';
  for (const std::string& line : Wrap(FlagsLegend(), width)) out += line + '\n';
  out += fmt::format("{} functions. 'sigma list NAME' shows one in full.\n", catalog().size());
  return out;
}

// "label   text", the text wrapped with a hanging indent; nothing for empty text.
void AppendField(std::string& out, std::string_view label, std::string_view text,
                 std::size_t width) {
  if (text.empty()) return;
  const std::size_t room = width > kDetailLabelWidth ? width - kDetailLabelWidth : 0;
  const std::size_t text_width = std::max(kMinTextWidth, room);
  const std::vector<std::string> lines = Wrap(text, text_width);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += fmt::format("{:<{}}{}\n", i == 0 ? label : "", kDetailLabelWidth, lines[i]);
  }
}

std::string ParamDetail(const ParamInfo& param) {
  std::string text =
      fmt::format("{}={} ({}", param.name, DefaultText(param), DomainName(param.domain));
  if (!param.choices.empty()) text += ": " + Join(param.choices, ", ");
  if (!param.alias.empty()) text += fmt::format("; alias {}", param.alias);
  text += ")";
  if (!param.description.empty()) text += fmt::format(": {}", param.description);
  return text;
}

std::string FunctionDetail(const FunctionInfo& info, std::size_t width) {
  std::string out = fmt::format("{}\n", info.name);
  for (const std::string& line : Wrap(info.summary, width)) out += line + '\n';
  out += '\n';
  AppendField(out, "aliases", Join(info.aliases, ", "), width);
  AppendField(out, "formula", info.formula, width);
  AppendField(out, "derivative", info.derivative, width);
  AppendField(out, "from output", info.from_output, width);
  AppendField(out, "backward_from_output", BackwardFromOutput(info) ? "yes" : "no", width);
  AppendField(out, "range", info.range, width);
  AppendField(out, "properties", Join(PropertyNames(info.properties), ", "), width);
  for (std::size_t i = 0; i < info.params.size(); ++i) {
    AppendField(out, i == 0 ? "parameters" : "", ParamDetail(info.params[i]), width);
  }
  AppendField(out, "notes", info.notes, width);
  return out;
}

// The whole catalog as an array, or the one function `name` as an object.
Json CatalogJson(std::string_view name) {
  if (!name.empty()) return FunctionJson(FindFunction(name));
  Json json = Json::array();
  for (const FunctionInfo& info : catalog()) json.push_back(FunctionJson(info));
  return json;
}

constexpr char kListFooter[] = R"(With --json: an array of objects (one object with NAME) holding
every catalog field. params are objects of name, alias, default, domain, choices and description
(a choice parameter's default is the option's name); properties is an object of booleans;
range_min and range_max are null when unbounded; backward_from_output tells whether f' can be
computed from y = f(x) at the default parameters.)";

}  // namespace

// Table cells may not hold '|' or line breaks.
std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c == '\n' ? ' ' : c;
    }
  }
  return out;
}

// The reference page of every function, generated from the catalog (docs/functions.md).
std::string CatalogMarkdown() {
  std::string out =
      "# The activation catalog\n\n"
      "Generated by `sigma list --markdown` from src/activations/catalog/; do not edit.\n"
      "Properties hold at the default parameters. f' from y is the derivative written as a "
      "function of the output, used by `backward_from_output`.\n\n"
      "| name | aliases | parameters | f(x) | f'(x) | f' from y | range | properties |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const FunctionInfo& f : catalog()) {
    std::vector<std::string> params;
    for (const ParamInfo& p : f.params)
      params.push_back(std::string(p.name) + "=" + DefaultText(p));
    std::vector<std::string> aliases(f.aliases.begin(), f.aliases.end());
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} | {} |\n", f.name,
                       Cell(Join(aliases, ", ")), Cell(Join(params, ", ")), Cell(f.formula),
                       Cell(f.derivative), Cell(f.from_output.empty() ? "—" : f.from_output),
                       Cell(f.range), Cell(Join(PropertyNames(f.properties), ", ")));
  }
  out += "\n## Notes\n\n";
  for (const FunctionInfo& f : catalog()) {
    out += fmt::format("- **{}**: {}.", f.name, f.summary);
    if (!f.notes.empty()) out += fmt::format(" {}.", f.notes);
    out += "\n";
  }
  return out;
}

void RunList(const ListOptions& options, std::ostream& out) {
  if (options.markdown) {
    out << CatalogMarkdown();
  } else if (options.json) {
    out << CatalogJson(options.name).dump(2) << '\n';
  } else if (options.name.empty()) {
    out << CatalogTable(TerminalWidth());
  } else {
    out << FunctionDetail(FindFunction(options.name), TerminalWidth());
  }
}

CLI::App* AddList(CLI::App& app, ListOptions& options) {
  CLI::App* list = app.add_subcommand("list", "List the activation functions");
  list->add_flag("--json", options.json, "Print JSON with every field of the catalog");
  list->add_flag("--markdown", options.markdown,
                 "Print the catalog as Markdown (docs/functions.md)");
  list->add_option("NAME", options.name, "Show one function in full (a name or an alias)")
      ->type_name("");
  list->footer(kListFooter);
  return list;
}

}  // namespace sigma::cli
