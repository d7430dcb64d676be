"""The two-factor pages: set-up and status (user menu), recovery codes, and the code step after the password."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.two_factor import devices
from qms.two_factor.forms import CodeForm, DisableForm

# The recovery codes just made, kept in the session only until the page showing them is opened.
NEW_CODES_SESSION_KEY = "qms_two_factor_new_codes"


def _qr_svg(device) -> str:
    qr = segno.make(device.config_url, error="m")
    # segno escapes nothing it is not given: the URL holds only the username, the issuer and the secret.
    return mark_safe(qr.svg_inline(scale=5, dark="#000", light="#fff", title="QR code for your authenticator app"))  # noqa: S308


def _secret(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _required(user) -> bool:
    return settings.CLAUSE5_TWO_FACTOR_REQUIRED and devices.must_use_two_factor(user)


def _render_settings(request, *, confirm_form=None, disable_form=None, codes_form=None, status=200):
    user = request.user
    context = {"required": _required(user)}
    if devices.has_two_factor(user):
        context.update(
            enabled=True,
            device=devices.app_device(user),
            codes_left=devices.recovery_codes_left(user),
            disable_form=disable_form or DisableForm(),
            codes_form=codes_form or CodeForm(auto_id="id_codes_%s"),
        )
    else:
        device = devices.two_factor_start(user=user)
        context.update(
            enabled=False,
            qr_svg=_qr_svg(device),
            secret=_secret(device),
            config_url=device.config_url,
            confirm_form=confirm_form or CodeForm(),
        )
    return render(request, "qms/two_factor/settings.html", context, status=status)


@never_cache
@login_required
@require_GET
def two_factor(request):
    """Set-up (QR code, secret, first code) when off; status, new recovery codes and turning off when on."""
    return _render_settings(request)


@never_cache
@login_required
@require_POST
def two_factor_confirm(request):
    """Turn it on with the first code the app shows, then show the recovery codes once."""
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            device, codes = devices.two_factor_confirm(user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("two-factor")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # This session gave the code: it is verified from now on.
            otp_login(request, device)
            devices.session_remember(request, request.user)
            request.session[NEW_CODES_SESSION_KEY] = codes
            messages.success(request, "Two-factor authentication is on. Keep your recovery codes somewhere safe.")
            return redirect("two-factor-recovery-codes")
    return _render_settings(request, confirm_form=form, status=400)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request):
    """GET shows the codes just made, once; POST makes new ones (a code from the app first)."""
    if request.method == "POST":
        form = CodeForm(request.POST, auto_id="id_codes_%s")
        if form.is_valid():
            try:
                codes = devices.recovery_codes_generate(user=request.user, code=form.cleaned_data["code"])
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect("two-factor")
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session[NEW_CODES_SESSION_KEY] = codes
                messages.success(request, "New recovery codes made; the old ones no longer work.")
                return redirect("two-factor-recovery-codes")
        return _render_settings(request, codes_form=form, status=400)
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(
            request, "Recovery codes are shown only once, when they are made. Make new ones if you need them."
        )
        return redirect("two-factor")
    return render(request, "qms/two_factor/recovery_codes.html", {"codes": codes})


@never_cache
@login_required
@require_POST
def two_factor_disable(request):
    """Turn it off with the password and a current code."""
    form = DisableForm(request.POST)
    if form.is_valid():
        try:
            devices.two_factor_disable(
                user=request.user, password=form.cleaned_data["password"], code=form.cleaned_data["code"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("two-factor")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            request.user.otp_device = None
            devices.session_remember(request, request.user)
            message = "Two-factor authentication is off."
            if _required(request.user):
                message += " Your role requires it: set it up again (with your new phone, for example) to continue."
            messages.success(request, message)
            return redirect("two-factor")
    return _render_settings(request, disable_form=form, status=400)


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second login step: the code from the app (or a recovery code) after the password."""
    next_url = _next_url(request)
    # Worked out again here: the device may have been removed since the session began.
    devices.session_remember(request, request.user)
    if devices.session_refusal(request) != devices.VERIFY:
        return redirect(next_url)
    form = CodeForm(
        request.POST or None,
        label="Code",
        autofocus=True,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            device = devices.code_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # A new session id for the session that now has both factors.
            request.session.cycle_key()
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = devices.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. Lost your phone? Turn two-factor "
                    "authentication off and on again from the user menu to use a new one.",
                )
            return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    return render(request, "qms/two_factor/verify.html", {"form": form, "next": next_url}, status=status)
