/* What every answer of msnp_framer_next() must satisfy on its own, whatever
 * the bytes (framer.h): consumed lengths within the buffer, spans within the
 * PDU, lines that really end where the PDU says, caps respected, token spans
 * that tile the line. Aborts with the reason when one does not hold. */
#ifndef MSNP_FUZZ_PDU_CHECK_H
#define MSNP_FUZZ_PDU_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/framer.h"

void pdu_check(const msnp_limits *lim, const uint8_t *buf, size_t len, msnp_frame_result r,
               const msnp_pdu *p);

#endif
