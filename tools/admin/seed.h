// tools/admin/seed.h — `corpex-admin seed FILE`: loads reference data from
// one JSON file, idempotently.
//
// FILE: {"instruments":[...], "members":[...], "attestations":[...],
//        "programs":[...], "enrolments":[...]}; each entry holds exactly the
// params of instrument.create, member.create, attestation.register,
// voucher.program.create and voucher.enrol (SPEC §5). Attestations may give
// "issued_at"/"expires_at" in ms or "valid_days" (from now) instead.
// ALREADY_EXISTS counts as unchanged, so a second run changes nothing.
#pragma once

#include <string>

#include "common/client.h"

namespace corpex::tools {

// Exit code: 0 when every entry was created or already there.
int Seed(Client& c, const std::string& file, bool as_json);

}  // namespace corpex::tools
