// Internal: what a rule function sees while checking one design.
#pragma once

#include <string>

#include "rules/rules.h"

namespace wlp::rules::detail {

class RuleContext {
 public:
  RuleContext(const design::Design& checked, CheckReport& report) : design(checked), report_(report) {}

  /// Records that a rule applies to this design (it shows as checked even when it passes).
  void applies(const char* rule_id);
  /// Records a violation. `measured`/`limit` are SI values of `dimension`, quoted in messages.
  void violation(const char* rule_id, const design::SourcePos& where, std::string message,
                 std::optional<double> measured = std::nullopt, std::optional<double> limit = std::nullopt,
                 const design::Dimension& dimension = design::dims::dimensionless);
  /// A material property needed by a rule is missing: the rule cannot pass.
  void missing_property(const char* rule_id, const design::SourcePos& where, const std::string& material_id,
                        const std::string& property);

  /// Nominal (25 C) property of a material, if present.
  [[nodiscard]] std::optional<double> property(const std::string& material_id, const std::string& key) const;

  const design::Design& design;

 private:
  CheckReport& report_;
};

/// "50 um", "125 C", "3.5 GPa" — how a number appears in a message.
std::string q(double value_si, const design::Dimension& dimension);

void check_generic(RuleContext& context);
void check_b0(RuleContext& context);
void check_s0(RuleContext& context);
void check_s1(RuleContext& context);
void check_s2(RuleContext& context);
void check_s3(RuleContext& context);
void check_s4(RuleContext& context);

}  // namespace wlp::rules::detail
