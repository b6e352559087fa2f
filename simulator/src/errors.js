'use strict';
// What the board raises: an OSError whose argument is an errno (a number), a message (as the ESP32
// port raises for Wi-Fi misuse), or an (errno, text) pair (as mbedTLS errors arrive).
class BoardError extends Error {
  constructor(arg) {
    super(Array.isArray(arg) ? arg.join(' ') : String(arg));
    this.arg = arg;
  }
}

// The ESP32 port's numbers are newlib's, not Linux's (MP ports/esp32/mpconfigport.h:68,
// MICROPY_USE_INTERNAL_ERRNO 0; newlib sys/errno.h); board/_errno.py has the same table.
const ERRNO = {
  EBADF: 9,
  EAGAIN: 11,
  EINVAL: 22,
  EOPNOTSUPP: 95,
  ECONNRESET: 104,
  ECONNREFUSED: 111,
  ECONNABORTED: 113,
  ETIMEDOUT: 116,
  EHOSTUNREACH: 118,
  EINPROGRESS: 119,
  ENOTCONN: 128,
};

const TLS = {
  VERIFY_FAILED: [-9984, 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED'],
  FATAL_ALERT: [-30592, 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE'],
};

module.exports = { BoardError, ERRNO, TLS };
