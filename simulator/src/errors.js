'use strict';
// What the board raises: an OSError whose argument is an errno (a number), a message (as the ESP32
// port raises for Wi-Fi misuse), or an (errno, text) pair (as mbedTLS errors arrive).
class BoardError extends Error {
  constructor(arg, type = 'OSError') {
    super(Array.isArray(arg) ? arg.join(' ') : String(arg));
    this.arg = arg;
    this.type = type; // 'ValueError' for what the port raises as one (a failed certificate check)
  }
}

// The errno names MicroPython knows (py/moderrno.c's errorcode table) with the ESP32 port's numbers,
// which are newlib's, not Linux's (MP ports/esp32/mpconfigport.h:68, MICROPY_USE_INTERNAL_ERRNO 0;
// newlib sys/errno.h). board/_errno.py gets its table from here.
const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EEXIST: 17,
  ENODEV: 19,
  EISDIR: 21,
  EINVAL: 22,
  EOPNOTSUPP: 95,
  ECONNRESET: 104,
  ENOBUFS: 105,
  ECONNREFUSED: 111,
  EADDRINUSE: 112,
  ECONNABORTED: 113,
  ETIMEDOUT: 116,
  EHOSTUNREACH: 118,
  EINPROGRESS: 119,
  EALREADY: 120,
  ENOTCONN: 128,
};
const ERRNO_NAME = new Map(Object.entries(ERRNO).map(([name, n]) => [n, name]));

// The last line of a traceback the interpreter prints in C names an OSError's number from its own
// Linux table ("OSError: [Errno 113] EHOSTUNREACH", or just "OSError: 116" for a number it lacks);
// a board names it from newlib's ("[Errno 113] ECONNABORTED", "[Errno 116] ETIMEDOUT").
function boardErrorLine(line) {
  const m = /^OSError: (?:\[Errno (\d+)\] [A-Z]+|(\d+))(\r?)$/.exec(line);
  if (!m) return line;
  const n = Number(m[1] || m[2]);
  const name = ERRNO_NAME.get(n);
  return (name ? `OSError: [Errno ${n}] ${name}` : `OSError: ${n}`) + m[3];
}

// mbedTLS errors as the tls module raises them: OSError(code, mbedtls_strerror's text)
// (MP extmod/modtls_mbedtls.c mbedtls_raise_error; texts from mbedTLS library/error.c).
const TLS = {
  FATAL_ALERT: [-30592, 'SSL - A fatal alert message was received from our peer'],
  CA_CHAIN_REQUIRED: [-30336, 'SSL - No CA Chain is set, but required to operate'],
};

// A failed certificate check raises ValueError with mbedtls_x509_crt_verify_info()'s text, each
// reason as "\n<description>\n" (MP extmod/modtls_mbedtls.c:699-715; descriptions from mbedTLS
// library/x509_crt.c).
const VERIFY = {
  NOT_TRUSTED: 'The certificate is not correctly signed by the trusted CA',
  EXPIRED: 'The certificate validity has expired',
  FUTURE: 'The certificate validity starts in the future',
  CN_MISMATCH: 'The certificate Common Name (CN) does not match with the expected CN',
};

function verifyFailed(...reasons) {
  return new BoardError(reasons.map((r) => `\n${VERIFY[r]}\n`).join(''), 'ValueError');
}

module.exports = { BoardError, ERRNO, TLS, verifyFailed, boardErrorLine };
