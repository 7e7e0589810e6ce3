## Site
site-name = tsunagari
site-tagline = A platform for career mutual support
skip-to-content = Skip to content
nav-label = Main menu
nav-home = Home
nav-login = Log in
nav-signup = Sign up
nav-settings = Settings
nav-logout = Log out
nav-signed-in-as = Signed in as { $name }
language-switch-label = Language
language-switch-button = Switch
footer-about = tsunagari is an open-source platform that helps working people find career support outside their employer.
footer-source = Figures are shown with their sources on each page.

## Home
home-title = Career companions beyond your employer.
home-lead = tsunagari connects working people with communities where careers are supported together: professional circles, company alumni, home-prefecture associations, NPOs, worker co-ops and labour unions. Find people to think through your next step with.
home-fact-isolation = of workers have no career mutual-support tie outside their employer.
home-fact-gave-up = of workers gave up a career challenge, or preparing for one, in the last five years.
home-fact-source = Source: Recruit Works Institute, "Careers through connection: six forms of mutual support" (2021). Internet survey of 4,259 employed people, September 2020.
home-cta-signup = Sign up free
home-cta-login = Log in
home-welcome = Welcome back, { $name }.
home-welcome-lead = News from the communities and events you join will appear here.
home-kinds-title = Six ways to connect
kind-professional = Professional community
kind-professional-desc = People in the same line of work learning from each other.
kind-corporate-alumni = Corporate alumni
kind-corporate-alumni-desc = Former colleagues who keep helping each other after leaving.
kind-regional-alumni = Regional alumni
kind-regional-alumni-desc = Staying connected with a home region, wherever you live now.
kind-npo = NPO
kind-npo-desc = Trying new ways of working while tackling social issues.
kind-worker-coop = Worker co-op
kind-worker-coop-desc = Workers who invest in, decide on and run their workplace together.
kind-union = Labour union
kind-union-desc = Beyond job security: career counselling and learning for members.

## Sign up
signup-title = Sign up
signup-lead = All you need is an e-mail address and a password. You can export your data or delete your account at any time.
signup-submit = Create account
signup-have-account = Already have an account?
field-email = E-mail address
field-display-name = Display name
field-display-name-hint = The name other people see (up to 50 characters). A nickname is fine.
field-password = Password
field-password-hint = 12 to 128 characters. Common passwords are refused; a long phrase works well.
field-current-password = Current password
field-new-password = New password
field-password-confirmation = New password (again)
field-locale = Language
field-time-zone = Time zone
field-time-zone-hint = Dates and times are shown in this time zone.

## Log in
login-title = Log in
login-submit = Log in
login-no-account = No account yet?
login-throttle-note = For your security, logins pause for a while after 10 failed attempts.
login-bad-credentials = The e-mail address or password is not correct.
login-throttled = Logins are paused after too many failed attempts. Please try again in about { $minutes } minutes.
login-required = Please log in to see this page.

## Settings
settings-title = Settings
settings-profile = Profile
settings-profile-save = Save
settings-profile-saved = Your profile was saved.
settings-password = Change password
settings-password-save = Change password
settings-password-changed = Your password was changed. All other devices were logged out.
settings-sessions = Devices where you are logged in
settings-sessions-lead = A login lasts at most 30 days and ends after 12 hours without use. End any session you do not recognise.
settings-session-current = This device
settings-session-started = Logged in: { $time }
settings-session-last-seen = Last active: { $time }
settings-session-from = From: { $ip }
settings-session-end = Log out this device
settings-session-ended = The session was ended.
settings-tokens = API access tokens
settings-tokens-lead = Tokens for integrations. Tokens are issued through the API (POST /api/v1/tokens).
settings-tokens-none = You have no tokens.
settings-token-created = Issued: { $time }
settings-token-last-used = Last used: { $time }
settings-token-never-used = Never used
settings-token-revoke = Revoke
settings-token-revoked = The token was revoked.
settings-data = Your data
settings-export-lead = Download everything this server stores about you as a JSON file.
settings-export = Export my data
settings-delete-lead = Deleting your account removes it and your personal data for good.
settings-delete = Delete account
settings-locale-saved = Language changed.

## Delete account
delete-title = Delete account
delete-lead = This deletes your account, your logins and your profile. It cannot be undone. Export your data first if you want a copy.
delete-confirm-label = I understand that my account and data will be deleted for good
delete-submit = Delete for good
delete-cancel = Cancel
delete-done = Your account was deleted. Thank you for using tsunagari.

## Form errors
form-error-summary = Please check what you entered
error-email-empty = Enter your e-mail address.
error-email-too-long = The e-mail address is too long (254 characters at most).
error-email-malformed = Enter an e-mail address like name@example.com.
error-email-taken = This e-mail address already has an account. Log in, or use another address.
error-display-name-empty = Enter a display name.
error-display-name-too-long = Use 50 characters or fewer for your display name.
error-display-name-control = The display name cannot contain line breaks or other control characters.
error-password-too-short = Use at least 12 characters for your password.
error-password-too-long = Use 128 characters or fewer for your password.
error-password-common = This password is too common and easy to guess.
error-password-personal = Don't base your password on your e-mail address or display name.
error-password-wrong = Your current password is not correct.
error-password-mismatch = The two new passwords are not the same.
error-locale-unknown = That language is not supported.
error-time-zone-unknown = That is not a valid time zone.
error-confirmation-required = Tick the box to confirm.

## Error pages
error-not-found-title = Page not found
error-not-found-body = The page you are looking for may have moved or been deleted.
error-csrf-title = This form has expired
error-csrf-body = For your security the submission was not accepted. Reload the page and try again.
error-internal-title = Something went wrong
error-internal-body = The server ran into a problem. Please try again in a little while.
error-unauthorized-title = Login required
error-too-many-requests-title = Please wait a moment
error-back-home = Back to home
error-bad-request-title = The request could not be processed
error-bad-request-body = What was sent could not be read.

## API error messages
api-error-unauthorized = Authentication required: send a valid token in an Authorization: Bearer header.
api-error-bad-credentials = The e-mail address or password is not correct.
api-error-throttled = Too many failed logins; try again in { $seconds } seconds.
api-error-invalid = Some fields are not valid.
api-error-email-taken = This e-mail address is already registered.
api-error-not-found = Not found.
api-error-internal = The server ran into a problem.
api-error-bad-json = The request's JSON could not be read.

## One-time notices
signup-welcome = Your account is ready. Welcome to tsunagari.
logout-done = You have logged out.
