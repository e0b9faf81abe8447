package fakeprovider

// The fixed keys of the OpenID provider's first key set, generated once with
// openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 and
// openssl ecparam -name prime256v1 -genkey | openssl pkcs8 -topk8 -nocrypt.
// Fixed, so that runs are reproducible and a provider starts without
// generating an RSA key; public, so never use them outside tests and demos.

const oidcRSAKeyPEM = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCcb5jrGWmklMbI
s13+YLMMG3Yq/V2n9gszGNo79pwQBgkS5HVy4iLHuMX4eVv6yUBe/Je7wEs2CyM3
vu0e4VacnG3anJmswQwU0T43iu+WFafX9AhJifJ4sdevziGCRM8GXa3j1Nq0wEIS
Y2aXbI/XXbHMtb2ts8+6SSW5R3cZlrh64ry+tKoT5UKserI6x+/xrfW5aBPb7IMV
FrzLBD+2BmvLk9IvBmaJWU3v12TSaJWRyiRHSfZlGfH5g+xjebP/yE/6VkB04nzS
gyxd8JRzVVjoGIX7HFW+Bb/aBih3RRUjiIcYs6bo7D8fnf2gwX1XDj7L40p46vXo
ovWc1sxZAgMBAAECggEAF/IWKoCOlPiIEB8yp1ZGefc3KJ/1ZtkpADaQ60ZVv7co
yulJGB+I2uEL/ruW6oXFUnTgRgdKi/h6+NTDJ6uvDhR81U6M0G6RaptX5nkgMO1a
LpqGbTlOMg7o+Np48x+UwAD1de82Vh4qzvVDtjCSORF4vqDgKrdgN//r5BdOIg6c
kNCACxNTWyK3qqSBn3bjAcqBbvC2Nn7D8SStcxjOaCbW3f5kQeMm4JUOvq0QfwhQ
5GF3EvOW3PsqH89XfIqwFVVSwmLZFNjLSdEliXeOzQIyhL3PnlFP0+xcZUtNEpNA
qb9HCnVLyJKr5OHq1EQzsyxDRnxDDYUlQVT0LEp+DQKBgQDSjkNstphkHlBx3TSt
tQi4+wegLWLgvibI7h8qVR7vyYpRAQzEY0LhOH1metm1Dz5vm3UCuY3IDUZmSuPD
ZCCZTu2+0PsbZ/cmqBzyi/btvAiFXIo47f+RzAJNpSH3KhKwzuPk1UWQeZ4hTJmP
tQPRqlDn4VHuSjDNAyktZ1+W7QKBgQC+MxQali2NJuAvQ+3ZZWhjGbMh8U0qaLc9
iFnPuX7QrKlzjog/MzAnmQqE2iJIY45jhZFdBxsFSaF2QnU6yyUBCzF+vOXL6gGR
CPo9WgiZOJ4Y411YrZ9ECCi75SO5uQggXGB6YkylLbQQzug8/w01LjrwWWOvv/7K
2mhsM0eRnQKBgFUX9Zvb956Oucgqs/136nyHxz8u2IUnlBkkUygSmpwiAWpXWEeO
LhtDbzqZb57C+GK2mwVs5CXzZ34zyfTPZHVQ9rhlUPZ0f+f5jSlg83yEv5TWH25+
kQjlQBENKbrwH/mgw21Z2/FVlViz0mPHrjFv+Z6c6zW4ehyAqIWW/4TJAoGBALlt
qNrmsNAdJ5FNA5Tfla6P/qFH1DhVUNgvl4e5y5X7z1Q2kEQ1Tmw8exHcbHHwhYAn
VvnAFKrKBxz5W7sPFCt5Uy7BULPFlvNkMjsgDKP8m72d5IKw+kXkQno0weiuKOsL
xI9sSFb9QMDmR2o4KhM/1/w82cAdSXVRC175e3vNAoGBALlU9/8pp9b4sVlKMsqk
AIB+NnnU1nRZjYT88lni0bt0pO1+Kmga2FQWwEzZMg/cyIANTWo5z38klc8GZU8M
8kDf5bYHeN3DIIgGGzk5xchyUQ/7ipLJak6hvNxo80SncyCaret15dAxCzTxoCZU
PvFyJ8CY46sXA9utexKi8mmG
-----END PRIVATE KEY-----
`

const oidcECKeyPEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWfRI+L/uH4L1JGeF
T+VMEvZj5ZcWXATfWnQNMicJ6A2hRANCAARbFiwbFsTfBPsS/3a+xG7pwDy/mrKT
PCZlJQCp6FUIyZXXQGmJ2xTtHlfuxb3PnyooAWqBEo5eey9lpYkJgRDp
-----END PRIVATE KEY-----
`
