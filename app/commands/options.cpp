// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"
#include "failure.hpp"
#include "outcome_exit.hpp"
#include "wording.hpp"

#include <mfa/options.hpp>
#include <mfa/text.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>

namespace mfa::app {

namespace {

struct OptionArgs
{
  std::string search;
  std::string key;
  std::string value;
};

nlohmann::ordered_json to_json(const OptionRow& row)
{
  return {{"key", row.name}, {"description", row.description}, {"value", row.value}};
}

OptionKey require_key(const std::string& name)
{
  if (auto key = find_option(name)) {
    return *key;
  }
  std::string names;
  for (const auto& info : option_infos()) {
    names += (names.empty() ? "" : ", ") + std::string(info.name);
  }
  throw Failure(ExitStatus::usage, "unknown option '" + name + "'; options are: " + names);
}

void run_list(Context& ctx, const OptionArgs& args)
{
  const auto rows = list_options(ctx.db(), args.search);
  if (ctx.json()) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& row : rows) {
      out.push_back(to_json(row));
    }
    ctx.emit_json(out);
    return;
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    cells.push_back({row.name, row.description, row.value});
  }
  print_table(stdout, {"Key", "Description", "Value"}, cells, ctx.terminal().stdout_colour);
}

void run_get(Context& ctx, const OptionArgs& args)
{
  const auto row = get_option(ctx.db(), require_key(args.key));
  if (ctx.json()) {
    ctx.emit_json(to_json(row));
  } else {
    std::printf("%s\n", escape_text(row.value).c_str());
  }
}

void run_set(Context& ctx, const OptionArgs& args)
{
  const OptionKey key = require_key(args.key);
  const auto& info = option_info(key);
  const auto value = parse_option_value(key, args.value);
  if (!value) {
    throw Failure(ExitStatus::usage, "invalid value '" + args.value + "' for " + std::string(info.name)
                                       + "; allowed: " + std::string(info.allowed));
  }
  auto& db = ctx.db();
  const auto previewed = preview_option_change(db, key, *value);
  require_ok(previewed);
  const auto& preview = previewed.value();
  auto result_json = [&](const OptionChange& change) {
    auto out = to_json(get_option(db, key));
    out["old_value"] = format_option_value(change.old_value);
    out["changed"] = change.changed;
    out["users_to_enroll"] = optional_json(change.users_to_enroll);
    return out;
  };
  if (!preview.changed) {
    if (ctx.json()) {
      ctx.emit_json(result_json(preview));
    } else {
      ctx.message(std::string(info.name) + " is already " + format_option_value(preview.old_value)
                  + "; nothing changed");
    }
    return;
  }
  ctx.message(std::string(info.name) + ": " + format_option_value(preview.old_value) + " -> "
              + format_option_value(preview.new_value));
  if (preview.users_to_enroll) {
    const bool internal = key == OptionKey::internal_mfa;
    const bool one = *preview.users_to_enroll == 1;
    ctx.message(count_of(*preview.users_to_enroll, "password user") + " of the " + (internal ? "internal" : "external")
                + " class " + (one ? "has" : "have") + " not enrolled and will have to enroll at "
                + (one ? "the" : "their") + " next login.");
  }
  if (ctx.confirm("Change configuration options?") == Confirmed::no) {
    throw Failure(ExitStatus::rejected, "not confirmed; nothing changed", result_json(OptionChange{key, preview.old_value, preview.old_value, false, preview.users_to_enroll}));
  }
  const auto saved = set_option(db, key, *value, ctx.actor());
  require_ok(saved);
  const auto& change = saved.value();
  if (ctx.json()) {
    ctx.emit_json(result_json(change));
  } else {
    ctx.message("Saved. It applies from the next login check on.");
  }
}

// For the help of `options set`: every key with the values it takes.
std::string settings_and_values()
{
  std::string text = "Settings and their values:";
  for (const auto& info : option_infos()) {
    std::string line = "  " + std::string(info.name);
    line.append(std::max<std::size_t>(2, 24 - line.size()), ' ');
    text += "\n" + line + std::string(info.allowed);
  }
  return text;
}

} // namespace

void setup_options(CLI::App& root, Context& ctx)
{
  auto* group = root.add_subcommand("options", "View and change the MFA settings");
  group->require_subcommand(1);
  auto args = std::make_shared<OptionArgs>();

  auto* list = group->add_subcommand("list", "Show every setting: key, description and value");
  list->add_option("--search", args->search, "Only settings whose key or description contains TEXT (any case)")
    ->option_text("TEXT");
  list->callback([&ctx, args] { run_list(ctx, *args); });

  auto* get = group->add_subcommand("get", "Show one setting's value");
  get->add_option("KEY", args->key, "The setting's key (any case)")->required();
  get->callback([&ctx, args] { run_get(ctx, *args); });

  auto* set = group->add_subcommand("set", "Change one setting, after confirmation");
  set->add_option("KEY", args->key, "The setting's key (any case)")->required();
  set->add_option("VALUE", args->value, "The new value: the shown form or a short form, any case")->required();
  set->callback([&ctx, args] { run_set(ctx, *args); });
  group->footer(examples({"mfa options list --search lock", "mfa options set internalMFA required"}));
  list->footer(examples({"mfa options list --search backup"}));
  get->footer(examples({"mfa options get internalMFA"}));
  set->footer(settings_and_values() + "\n\n" + examples({"mfa options set internalMFA required", "mfa -y options set mfaWindow 2"}));
}

} // namespace mfa::app
