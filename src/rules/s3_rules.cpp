// Seed 003 (S3): conducting post, a larger deformable UBM, resin around the post.
#include <cmath>
#include <fmt/format.h>
#include <numbers>

#include "rules/rule_context.h"

namespace wlp::rules::detail {
namespace {
using design::dims::length;
using design::dims::pressure;

constexpr double kMinPost_m = 12e-6, kMaxPost_m = 300e-6;             // claim 8: "approximately 12 to 300 um"
constexpr double kPreferredMin_m = 15e-6, kPreferredMax_m = 200e-6;   // description: "preferably"
constexpr double kMinDiameter_m = 20e-6, kMaxDiameter_m = 100e-6;     // claim 8: "approximately 20 to 100 um"
constexpr double kFlushTolerance = 0.01;                              // resin top within 1 % of the post top

double disc_area(double diameter_m) { return std::numbers::pi * diameter_m * diameter_m / 4.0; }

void check_post(RuleContext& c, const design::PostUbmResin& s3) {
  const design::Design& d = c.design;
  c.applies("S3.POST.HEIGHT");
  if (s3.post_height_m < kMinPost_m || s3.post_height_m > kMaxPost_m)
    c.violation("S3.POST.HEIGHT", d.where("interconnect.post_height"),
                fmt::format("post height {} is outside {} to {} (claim 8)", q(s3.post_height_m, length), q(kMinPost_m, length),
                            q(kMaxPost_m, length)),
                s3.post_height_m, s3.post_height_m < kMinPost_m ? kMinPost_m : kMaxPost_m, length);
  else {
    c.applies("S3.POST.HEIGHT_PREFERRED");
    if (s3.post_height_m < kPreferredMin_m || s3.post_height_m > kPreferredMax_m)
      c.violation("S3.POST.HEIGHT_PREFERRED", d.where("interconnect.post_height"),
                  fmt::format("post height {} is outside the preferred {} to {}", q(s3.post_height_m, length),
                              q(kPreferredMin_m, length), q(kPreferredMax_m, length)),
                  s3.post_height_m, s3.post_height_m < kPreferredMin_m ? kPreferredMin_m : kPreferredMax_m, length);
  }
  c.applies("S3.POST.DIAMETER");
  if (s3.post_diameter_m < kMinDiameter_m || s3.post_diameter_m > kMaxDiameter_m)
    c.violation("S3.POST.DIAMETER", d.where("interconnect.post_diameter"),
                fmt::format("post diameter {} is outside {} to {} (claim 8)", q(s3.post_diameter_m, length),
                            q(kMinDiameter_m, length), q(kMaxDiameter_m, length)),
                s3.post_diameter_m, s3.post_diameter_m < kMinDiameter_m ? kMinDiameter_m : kMaxDiameter_m, length);
  c.applies("S3.POST.MATERIAL");
  const design::Material* post = d.material(s3.post_material);
  if (post && post->material_class != "metal" && post->material_class != "solder" && post->material_class != "composite")
    c.violation("S3.POST.MATERIAL", d.where("interconnect.post_material"),
                fmt::format("post material {} is of class '{}'; the seed makes posts of metals, solder or a conductive paste",
                            s3.post_material, post->material_class));
}

void check_ubm_and_bump(RuleContext& c, const design::PostUbmResin& s3) {
  const design::Design& d = c.design;
  c.applies("S3.UBM.LARGER");
  if (s3.ubm_diameter_m <= s3.post_diameter_m)
    c.violation("S3.UBM.LARGER", d.where("interconnect.ubm_diameter"),
                fmt::format("UBM diameter {} is not larger than the post outline {}", q(s3.ubm_diameter_m, length),
                            q(s3.post_diameter_m, length)),
                s3.ubm_diameter_m, s3.post_diameter_m, length);
  c.applies("S3.UBM.DEFORMABLE");
  const auto e_ubm = c.property(s3.ubm_material, "youngs_modulus");
  const auto e_post = c.property(s3.post_material, "youngs_modulus");
  if (!e_ubm) c.missing_property("S3.UBM.DEFORMABLE", d.where("interconnect.ubm_material"), s3.ubm_material, "youngs_modulus");
  if (!e_post) c.missing_property("S3.UBM.DEFORMABLE", d.where("interconnect.post_material"), s3.post_material, "youngs_modulus");
  if (e_ubm && e_post) {
    const double ubm_stiffness = s3.ubm_thickness_m * *e_ubm;    // N/m: thickness × modulus
    const double post_stiffness = s3.post_height_m * *e_post;
    if (ubm_stiffness >= post_stiffness)
      c.violation("S3.UBM.DEFORMABLE", d.where("interconnect.ubm_thickness"),
                  fmt::format("UBM thickness x modulus {} x {} = {:.4g} N/m is not below the post's {} x {} = {:.4g} N/m: the "
                              "UBM would not deform more easily than the post",
                              q(s3.ubm_thickness_m, length), q(*e_ubm, pressure), ubm_stiffness, q(s3.post_height_m, length),
                              q(*e_post, pressure), post_stiffness),
                  ubm_stiffness, post_stiffness, design::dims::stiffness);
  }
  if (!d.bumps) return;
  const double ball = d.bumps->ball_diameter_m;
  c.applies("S3.BUMP.LARGER");
  if (ball <= s3.post_diameter_m)
    c.violation("S3.BUMP.LARGER", d.where("bumps.ball_diameter"),
                fmt::format("ball diameter {} is not larger than the post outline {}", q(ball, length),
                            q(s3.post_diameter_m, length)),
                ball, s3.post_diameter_m, length);
  c.applies("S3.BUMP.CONTACT_AREA");
  const double bump_area = disc_area(std::min(ball, s3.ubm_diameter_m));  // solder wets at most the UBM top
  const double post_area = disc_area(s3.post_diameter_m);
  if (bump_area <= post_area)
    c.violation("S3.BUMP.CONTACT_AREA", d.where(ball < s3.ubm_diameter_m ? "bumps.ball_diameter" : "interconnect.ubm_diameter"),
                fmt::format("bump-UBM contact area {:.0f} um^2 is not larger than the UBM-post contact area {:.0f} um^2",
                            bump_area * 1e12, post_area * 1e12),
                bump_area, post_area, design::dims::area);
}

void check_resin(RuleContext& c, const design::PostUbmResin& s3) {
  const design::Design& d = c.design;
  c.applies("S3.RESIN.AROUND_POST");
  const auto resins = d.layers_with(design::LayerRole::Resin);
  if (resins.empty()) {
    c.violation("S3.RESIN.AROUND_POST", d.where("interconnect.type"), "no `resin` stack layer surrounds the posts (claim 1)");
    return;
  }
  const design::StackLayer& resin = *resins.front();
  c.applies("S3.RESIN.CONTACT");
  const double h = resin.thickness_m, post = s3.post_height_m;
  const bool is_flush = std::abs(h - post) <= kFlushTolerance * post;
  if ((s3.resin_contact == "full" || s3.resin_contact == "ring") && !is_flush)
    c.violation("S3.RESIN.CONTACT", resin.thickness_where,
                fmt::format("resin_contact = \"{}\" needs the resin top at the post top (it carries the UBM): resin {} vs "
                            "post {}",
                            s3.resin_contact, q(h, length), q(post, length)),
                h, post, length);
  if (s3.resin_contact == "separated" && h >= post)
    c.violation("S3.RESIN.CONTACT", resin.thickness_where,
                fmt::format("resin_contact = \"separated\" (FIG 2) needs the resin below the UBM: resin {} is not below the "
                            "post height {}",
                            q(h, length), q(post, length)),
                h, post, length);
  if (s3.resin_contact == "ring" &&
      (s3.resin_ring_diameter_m <= s3.post_diameter_m || s3.resin_ring_diameter_m >= s3.ubm_diameter_m))
    c.violation("S3.RESIN.CONTACT", d.where("interconnect.resin_ring_diameter"),
                fmt::format("ring of contact {} must lie between the post {} and the UBM outline {} (FIG 3)",
                            q(s3.resin_ring_diameter_m, length), q(s3.post_diameter_m, length), q(s3.ubm_diameter_m, length)),
                s3.resin_ring_diameter_m,
                s3.resin_ring_diameter_m <= s3.post_diameter_m ? s3.post_diameter_m : s3.ubm_diameter_m, length);
  if (!s3.adhesive_material.empty()) {
    c.applies("S3.ADHESIVE.CONTACT");
    if (s3.resin_contact == "separated")
      c.violation("S3.ADHESIVE.CONTACT", d.where("interconnect.adhesive_material"),
                  "an adhesive between the UBM and the resin (claim 7) needs the resin to reach the UBM, but "
                  "resin_contact = \"separated\"");
  }
}

void check_foil(RuleContext& c) {
  for (const design::Step& step : c.design.recipe.steps) {
    if (step.op != "foil_laminate") continue;
    c.applies("S3.FOIL.VACUUM");
    if (!step.flag("vacuum").value_or(false))
      c.violation("S3.FOIL.VACUUM", step.where,
                  fmt::format("{} is not in vacuum: claim 21 bonds the foil in vacuum, then vents so that atmospheric "
                              "pressure presses it onto the posts",
                              step.label()));
  }
}
}  // namespace

void check_s3(RuleContext& c) {
  const auto* s3 = std::get_if<design::PostUbmResin>(&c.design.interconnect);
  if (!s3) return;
  check_post(c, *s3);
  check_ubm_and_bump(c, *s3);
  check_resin(c, *s3);
  check_foil(c);
}

}  // namespace wlp::rules::detail
