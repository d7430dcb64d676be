"""Two-factor authentication: after the password, a code from an authenticator app.

django-otp keeps the devices: one TOTP device per user (the authenticator app) and one static
device holding single-use recovery codes. Its throttling counts wrong codes on each device and
makes the next attempt wait longer each time (1, 2, 4, 8... seconds).

- `devices`: turning it on and off, checking codes, who must use it, the session's state.
- `middleware`: after the password, asks for the code; sends who must use it to the set-up page.
- `views`, `forms`, `urls`: the set-up page (user menu, "Two-factor authentication") and the
  second login step.

Signing checks the code too: `qms.signatures.signature_sign(..., otp_code=...)`.
"""
