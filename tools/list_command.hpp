// `sigma list`: the catalog as a table, one entry in full, or JSON.
#pragma once

#include <ostream>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace sigma::cli {

struct ListOptions {
  bool json = false;
  bool markdown = false;  // docs/functions.md: the catalog as Markdown
  std::string name;       // one function (a name or an alias); empty for the whole catalog
};

// Throws sigma::Error for an unknown name.
void RunList(const ListOptions& options, std::ostream& out);

// Registers `sigma list` and its flags on `app`, parsing into `options`, whose initial values
// are the defaults shown by --help.
CLI::App* AddList(CLI::App& app, ListOptions& options);

}  // namespace sigma::cli
