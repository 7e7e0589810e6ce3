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

## Communities
nav-communities = Communities
communities-title = Find a community
communities-lead = Colleagues in your line of work, your former employer, your home region, NPOs, co-ops and unions. Join any that interest you; you can leave at any time.
communities-filter-kind = Kind
communities-filter-any-kind = All kinds
communities-filter-prefecture = Prefecture
communities-filter-any-prefecture = All prefectures
communities-filter-tag = Tag (occupation, industry…)
communities-filter-submit = Filter
communities-filter-clear = Clear filters
communities-none = No community matches yet. Why not start one?
communities-create = Start a community
communities-member-count = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
communities-results = { $count ->
    [one] { $count } community
   *[other] { $count } communities
}
communities-my = Your communities
communities-next-page = Next page
communities-previous-page = Previous page
community-new-title = Start a community
community-new-subgroup-title = New branch or club of “{ $parent }”
community-new-lead = Choose the kind that fits best. The kind cannot be changed later.
community-edit-title = Community settings
community-field-kind = Kind
community-field-name = Name
community-field-description = Description
community-field-description-hint = Who gathers here and what you do. Markdown works (HTML does not).
community-field-tags = Tags
community-field-tags-hint = Occupations, industries or themes, separated by commas (e.g. care, welfare). Up to 10.
community-field-prefecture = Prefecture
community-field-prefecture-hint = Where you are active, or the home region of a regional alumni group (required there).
community-field-prefecture-none = Not specified
community-field-municipality = Municipality code (optional)
community-field-municipality-hint = The 5-digit local government code (e.g. Niigata City 15100).
community-field-visibility = Visibility
community-visibility-public = Anyone can read
community-visibility-members = Posts, events and members for members only
community-field-membership = Joining
community-membership-open = Anyone can join straight away
community-membership-approval = Organisers approve requests
community-field-join-question = Question for join requests (approval only)
community-field-company = Company (required for corporate alumni)
community-save = Save
community-create-submit = Create
community-created = Your community is ready. Polish the description, then invite people.
community-saved = Settings saved.
community-join = Join
community-request = Ask to join
community-leave = Leave
community-withdraw = Withdraw request
community-joined = You joined. Welcome!
community-requested = Request sent. The organisers will review it.
community-left = You left the community. Your posts stay.
community-pending = Your request is awaiting approval.
community-banned = You cannot join this community.
community-join-answer = Your answer
community-login-to-join = Log in to join
community-members-only = Only members can see this community's posts and events.
community-parent = Part of: { $name }
community-subgroups = Branches and clubs
community-new-subgroup = Start a branch or club
community-edit = Settings
community-manage-members = Members
community-you-are = Your role: { $role }
community-about = About this community
community-company = Company: { $name }
community-region = Region: { $name }
community-fans-welcome = Not only people from the region: friends and fans are welcome too.
role-owner = Owner
role-organiser = Organiser
role-member = Member
members-title = Members
members-directory = Member directory
members-pending = Join requests
members-pending-none = No requests.
members-banned = Banned
members-joined = Joined: { $time }
member-accept = Accept
member-decline = Decline
member-promote = Make organiser
member-demote = Make member
member-remove = Remove
member-ban = Ban
member-unban = Lift ban
member-action-done = Member updated.
members-transfer = Transfer ownership
members-transfer-lead = Hand the owner role to another member. You become an organiser.
members-transfer-to = New owner
members-transfer-submit = Transfer
members-transferred = Ownership transferred.

kind-professional-intro = People in the same occupation or industry learning from each other through study sessions and dialogue: a place to meet role models and rethink what your work means.
kind-corporate-alumni-intro = A firm's official network of former employees: stay connected after leaving, collaborate, return (boomerang hires) and hear the company's news.
kind-regional-alumni-intro = A modern home-prefecture association: people from a region and its fans, with branches and clubs started by members and news on moving back (U/I-turn).
kind-npo-intro = A non-profit tackling social issues, where you can be involved as staff, in a side job, pro bono or as a volunteer.
kind-worker-coop-intro = A co-operative the workers invest in and run together, one member one vote, creating work from local needs.
kind-union-intro = A union that goes beyond job security: career counselling, learning and support among members.

## Denials
error-forbidden-title = This is not possible
denied-not-member = Only members can do this.
denied-not-organiser = Only organisers can do this.
denied-not-owner = Only the owner can do this.
denied-owner-must-transfer = As the owner, transfer ownership to another member before leaving.
denied-owner-protected = The owner's role and membership cannot be changed.
denied-peer-organiser = Only the owner can change organisers.
denied-banned = You cannot join this community.
denied-not-parent-member = Join the parent community before joining its branches and clubs.
denied-already-member = You are already a member or have asked to join.
denied-members-only = Only members can see this.
denied-owns-communities = You own one or more communities. Before deleting your account, transfer ownership on each community's members page.

error-parent = The parent community does not exist or cannot have another level below it.
error-role = Ownership cannot go to that member.
error-community-name = Enter a name of up to 80 characters.
error-community-description = Keep the description under 10,000 characters.
error-community-tags = Tags are up to 30 characters each, 10 at most.
error-community-prefecture = Choose a prefecture (required for regional alumni).
error-community-municipality = Enter the 5-digit code of a municipality in the chosen prefecture.
error-community-join-question = Keep the question under 200 characters.
error-community-company = Corporate alumni need the company's name (up to 80 characters).
error-community-kind = Choose a kind.
error-community-visibility = Choose who can read the community.
error-community-membership = Choose how people join.

## Notifications
nav-notifications = Notifications
nav-notifications-unread = Notifications ({ $count } unread)
notifications-title = Notifications
notifications-none = No notifications yet.
notifications-mark-all = Mark all as read
notifications-all-read = All notifications marked as read.
notifications-new = New
notification-join_approved = Your request to join “{ $subject }” was accepted.
notification-waitlist_promoted = A place opened: you are now confirmed for “{ $subject }”.
notification-thread_reply = Someone replied to your thread “{ $subject }”.
notification-announcement = New announcement: “{ $subject }”

## Member directory and volunteer roles
members-hidden-name = A member (name hidden)
members-edit-my-profile = Edit your introduction in this community
members-occupation = Occupation: { $value }
members-region = Lives in: { $value }
profile-title = Your introduction in this community
profile-lead = What you enter here appears only in this community's directory. Choose for each field who may see it.
profile-occupation = Occupation
profile-prefecture = Prefecture you live in
profile-bio = Short introduction (up to 500 characters)
profile-visibility-name = Who sees your name
profile-visibility-occupation = Who sees your occupation
profile-visibility-region = Who sees where you live
profile-visibility-bio = Who sees your introduction
visibility-everyone = Everyone
visibility-members = Members
visibility-organisers = Organisers only
visibility-hidden = Nobody
profile-save = Save
profile-saved = Your introduction was saved.
volunteer-title = Roles to take on
volunteer-lead = Take a small role, such as reception, minutes or social media, and make a place of your own in the community.
volunteer-none = No roles yet.
volunteer-holders = Taken by: { $names }
volunteer-nobody = Looking for someone
volunteer-take = Take it on
volunteer-leave = Step down
volunteer-delete = Delete role
volunteer-new = Add a role
volunteer-name = Role name (up to 40 characters)
volunteer-description = What it involves (up to 200 characters)
volunteer-create = Add
volunteer-saved = Roles updated.
error-volunteer-role = A role needs a name of 1–40 characters and a description of at most 200.
error-volunteer-role-taken = A role with this name already exists.
error-profile-occupation = Keep the occupation under 60 characters.
error-profile-bio = Keep the introduction under 500 characters.
error-profile-visibility = Choose who may see each field.
