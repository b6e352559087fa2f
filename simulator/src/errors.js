'use strict';
// What the board raises: an OSError whose argument is an errno (a number), a message (as the ESP32
// port raises for Wi-Fi misuse), or an (errno, text) pair (as mbedTLS errors arrive).
class BoardError extends Error {
  constructor(arg) {
    super(Array.isArray(arg) ? arg.join(' ') : String(arg));
    this.arg = arg;
  }
}

const ERRNO = {
  EBADF: 9,
  EAGAIN: 11,
  EINVAL: 22,
  EOPNOTSUPP: 95,
  ECONNABORTED: 103,
  ECONNRESET: 104,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
};

const TLS = {
  VERIFY_FAILED: [-9984, 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED'],
  FATAL_ALERT: [-30592, 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE'],
};

module.exports = { BoardError, ERRNO, TLS };
