// tools/admin/seed.h — `corpex-admin seed FILE`: loads reference data from
// one JSON file, idempotently.
//
// FILE: {"instruments":[...], "members":[...], "attestations":[...],
//        "programs":[...], "enrolments":[...]}; each entry holds exactly the
// params of instrument.create, member.create, attestation.register,
// voucher.program.create and voucher.enrol (SPEC §5). Attestations may give
// "issued_at"/"expires_at" in ms or "valid_days" (from now) instead.
// ALREADY_EXISTS counts as unchanged, so a second run changes nothing.
// "deals" ({seller, buyer, instrument, qty, price, attestation, voucher?,
// via?: "rfq" (negotiated; open?: true leaves the RFQ and its quote open;
// consideration?: an equity consideration instead of price),
// delivery: ["grant", "dispute", "confirm", "resolve:confirmed|failed"]})
// trade and take delivery steps, only between members this run created.
#pragma once

#include <map>
#include <string>

#include "common/client.h"

namespace corpex::tools {

// Exit code: 0 when every entry was created or already there.
// `url`: where the deals' members log in.
int Seed(Client& c, const std::string& file, bool as_json, const std::string& url);

// The deals of `doc` whose members are in `secrets` (created by this run);
// how many were made. Failures are appended.
int SeedDeals(const std::string& url, const json::object& doc, const std::map<std::string, std::string>& secrets,
              Client& ops, json::array* failures);

}  // namespace corpex::tools
