#include <algorithm>

#include "rules/rules.h"

namespace wlp::rules {
namespace {
constexpr Severity E = Severity::Error;
constexpr Severity W = Severity::Warning;
}  // namespace

const std::vector<RuleInfo>& rule_catalog() {
  static const std::vector<RuleInfo> catalog{
      // generic geometry and process sanity
      {"GEN.PAD.INSIDE_DIE", "generic", "geometry", E, "every pad lies inside the die outline"},
      {"GEN.PAD.OVERLAP", "generic", "geometry", E, "pads do not overlap"},
      {"GEN.BUMP.INSIDE_DIE", "generic", "WLCSP", E, "every ball (plus die.keep_out) lies inside the die outline"},
      {"GEN.BUMP.PITCH", "generic", "geometry", E, "bump pitch is larger than the ball diameter"},
      {"GEN.RDL.LAND_PITCH", "generic", "geometry", E, "land diameter + minimum space fits in the bump pitch"},
      {"GEN.RDL.LAND_COUNT", "generic", "routing", E, "there are at least as many lands as pads to route"},
      {"GEN.OPENING.PAD_ENCLOSURE", "generic", "geometry", E, "openings over pads are no larger than the pad"},
      {"GEN.OPENING.LAND_ENCLOSURE", "generic", "geometry", E, "openings over lands are no larger than the land"},
      {"GEN.BOARD.PAD_PITCH", "generic", "geometry", E, "board pads and solder-mask openings are smaller than the pitch"},
      {"GEN.REFLOW.LIQUIDUS", "generic", "process", E, "every reflow peaks above the liquidus of the solder it melts"},
      {"GEN.THERMAL.DECOMPOSITION", "generic", "process", E,
       "no heated step reaches the decomposition temperature of an organic material on the wafer"},
      {"GEN.BOARD.TG", "generic", "IPC guidance (physics-data §1.3)", W,
       "cycling peak stays at least 25 K below the board's Tg"},
      // B0 baseline
      {"B0.UBM.PAD_SIZE", "B0", "seed 003 background", W, "the baseline UBM is the size of the aluminium pad (±10 %)"},
      {"B0.NO_STRESS_RELIEF", "B0", "seed catalog B0", E, "the baseline has no resin or buffer layer"},
      // S0 sacrificial via
      {"S0.FIRST.ORGANIC", "S0", "claim 1", E, "the first (pillar) material is organic"},
      {"S0.DECOMP.ORDER", "S0", "claim 1", E, "the second material decomposes at a higher temperature than the first"},
      {"S0.ANNEAL.WINDOW", "S0", "claim 1", E, "an anneal lies above T_decomp(first) and below T_decomp(second)"},
      {"S0.RECESS.OVERLAP", "S0", "claim 1", E, "the strip recess overlaps the pillar in projection"},
      {"S0.RECESS.REACHES", "S0", "claim 1", E, "the strip recess reaches down to the pillar"},
      {"S0.LIQUID.APPLIED", "S0", "claim 5", E, "both dielectric materials are applied liquid by spinning"},
      {"S0.BARRIER.BEFORE_CU", "S0", "claims 8-9", E, "a PVD copper barrier is deposited before the copper is plated"},
      {"S0.CLEAN.BEFORE_FILL", "S0", "claim 7", W, "the body is cleaned after the anneal and before the fill"},
      // S1 adhesive cylinders
      {"S1.INSULATOR.THICKER", "S1", "claim 1", E, "the second insulating layer is thicker than the first"},
      {"S1.INSULATOR.RATIO", "S1", "claim 2", E, "the second insulating layer is at least 4x the first"},
      {"S1.BALL.SEATS", "S1", "claim 1", W, "the metallized ball is no smaller than the opening, so it sits at its free end"},
      {"S1.FILL.CURE", "S1", "claims 3, 9", E, "conductive adhesive is cured (solder paste remelted) after it is printed"},
      {"S1.BALL.BEFORE_CURE", "S1", "claims 3, 9", E, "the balls are placed on the fill before it is cured or remelted"},
      {"S1.DICE.AFTER_CURE", "S1", "claims 5, 8, 11", E, "the wafer is diced after the cure or remelt"},
      {"S1.FILL.DOCTOR_BLADE", "S1", "claims 4, 7, 10", W, "the fill is introduced with a doctor blade"},
      // S2 thick polyimide
      {"S2.POLYIMIDE.THICKNESS", "S2", "description", E, "the polymer layer is 2-30 um thick after cure"},
      {"S2.CONTACT.SIZE", "S2", "description", E, "contact points are 0.5-3 um"},
      {"S2.VIA.ASPECT", "S2", "description", E, "via aspect ratio (polymer + passivation) / contact size is at most about 5"},
      {"S2.PASSIVATION", "S2", "description", W, "a PECVD oxide (~0.2 um) + nitride (~0.7 um) passivation is present"},
      {"S2.TOP_PAD.COVERS_VIA", "S2", "description", E, "the top pad covers the via top"},
      // S3 post + UBM + resin
      {"S3.POST.HEIGHT", "S3", "claim 8", E, "the post is about 12-300 um high"},
      {"S3.POST.HEIGHT_PREFERRED", "S3", "description", W, "the post is preferably 15-200 um high"},
      {"S3.POST.DIAMETER", "S3", "claim 8", E, "the post diameter is about 20-100 um"},
      {"S3.UBM.LARGER", "S3", "claim 1", E, "the UBM is larger than the post outline"},
      {"S3.UBM.DEFORMABLE", "S3", "claim 1", E, "the UBM deforms more easily: thickness x modulus below the post's"},
      {"S3.BUMP.LARGER", "S3", "claim 2", E, "the bump is larger than the post outline"},
      {"S3.BUMP.CONTACT_AREA", "S3", "claim 2", E, "bump-UBM contact area exceeds UBM-post contact area"},
      {"S3.RESIN.AROUND_POST", "S3", "claim 1", E, "a resin layer surrounds the post"},
      {"S3.RESIN.CONTACT", "S3", "claims 3-5, FIGS 1-3", E, "the resin height matches the chosen contact with the UBM"},
      {"S3.ADHESIVE.CONTACT", "S3", "claim 7", E, "an adhesive between UBM and resin needs the resin to touch the UBM"},
      {"S3.POST.MATERIAL", "S3", "description", W, "the post is a metal, a solder or a conductive paste"},
      {"S3.FOIL.VACUUM", "S3", "claim 21", E, "the metal foil is laminated in vacuum"},
      // S4 buffered sections
      {"S4.FILM.PYROLYSIS", "S4", "claims (second insulating film)", E, "the insulating resin film's pyrolysis temperature is >= 200 C"},
      {"S4.BUFFER.MODULUS", "S4", "claims (buffer layer)", E, "each stress-buffer layer has an elastic modulus of 0.01-8 GPa"},
      {"S4.COLUMN.HEIGHT", "S4", "embodiment 3", E, "metal columns are 10-200 um high"},
      {"S4.COLUMN.ADHESIVE", "S4", "embodiment 3", E, "metal columns are fixed with a conductive adhesive"},
      {"S4.LAND.FLUSH", "S4", "claims (polishing)", E, "each tier's sections reach the polished buffer surface (flush lands)"},
      {"S4.POLISH.PER_TIER", "S4", "claims (polishing)", E, "every buffer tier is polished to expose its sections"},
  };
  return catalog;
}

const RuleInfo* find_rule(const std::string& id) {
  const auto& catalog = rule_catalog();
  const auto found = std::find_if(catalog.begin(), catalog.end(), [&](const RuleInfo& rule) { return rule.id == id; });
  return found == catalog.end() ? nullptr : &*found;
}

}  // namespace wlp::rules
