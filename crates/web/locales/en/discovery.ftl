# Discovery: the signed-in home page, the directory of real organisations with claims, the operators' claim queue, and Atom feeds.

## Home (signed in)
discovery-home-no-communities = You have not joined a community yet. Start with the suggestions below or the organisation directory.
discovery-home-threads = New threads
discovery-home-threads-none = Your communities have no threads yet.
discovery-home-events = Coming up in your communities
discovery-home-events-none = No events are planned yet.
discovery-home-suggestions = Suggested for you
discovery-home-from-self-check = Chosen from your self-check of { $date }.
discovery-home-from-profiles = Chosen from the occupation and region in your community profiles. Take the self-check for suggestions that fit you better.
discovery-home-from-popular = The communities with the most members. Take the self-check for suggestions that fit you.
discovery-home-take-self-check = Take the self-check
discovery-home-suggestions-none = There is nothing to suggest at the moment.
discovery-reason-tag = Tagged “{ $tag }”, which fits your occupation.
discovery-reason-popular = One of the communities with the most members.
discovery-home-nearby-in = This week: { $prefecture } and online
discovery-home-nearby-online = This week online
discovery-home-nearby-hint-region = The region comes from where you live in your self-check, or from your profiles.
discovery-home-nearby-hint-none = We do not know where you live, so only online events are shown. You can give your region in the self-check or a community profile.
discovery-home-nearby-none = No matching events this week.
discovery-home-operator = { $count ->
    [one] One organisation claim is waiting
   *[other] { $count } organisation claims are waiting
}
discovery-home-directory = Browse the directory of real organisations
discovery-home-events-feed = Atom feed of public events
discovery-home-in-community = in { $community }

## Organisation directory
discovery-nav = Organisations
discovery-title = Directory of real organisations
discovery-lead = The professional communities, corporate and regional alumni networks, NPOs, worker co-ops and unions that the report “Careers of connection” gives as examples. The organisations listed here are not communities run on this server. If you are with one of them, you can claim it: once the site operator approves, it starts here as a community.
discovery-filters-label = Filter the organisations
discovery-filter-kind = Kind
discovery-filter-any-kind = All kinds
discovery-filter-prefecture = Prefecture
discovery-filter-any-prefecture = All regions
discovery-filter-submit = Filter
discovery-filter-clear = Clear filters
discovery-result-count = { $count ->
    [one] One organisation
   *[other] { $count } organisations
}
discovery-none = No organisation matches.
discovery-badge-entry = Directory entry — not run on this server
discovery-badge-on-site = Now on tsunagari
discovery-go-to-community = Visit the community
discovery-no-region = Nationwide, abroad or region unknown
discovery-company = Company: { $company }
discovery-previous-page = Previous
discovery-next-page = Next
discovery-pagination = Pages
discovery-urls-note = Some website addresses could not be checked when the directory was written. Links lead to outside sites.
discovery-report-source = Source: Recruit Works Institute, 「つながり」のキャリア論 (2021). The descriptions are our own summaries.

## One listing
discovery-listing-entry-note = This organisation is only listed in the directory; it is not active on tsunagari. We summarised it from the report; the organisation has not checked the text.
discovery-listing-claimed-note = This organisation has been a community on tsunagari since { $date }.
discovery-website = Official website
discovery-website-external = (outside site)
discovery-tags = Tags
discovery-claim-title = Are you with this organisation?
discovery-claim-intro = Send a claim and the site operator will check it. Once approved, a community is made from this listing with you as its owner, and the directory links to it.
discovery-claim-message = About you
discovery-claim-message-hint = How you are connected to the organisation, your role, and something the operator can check (such as a page on its website). Only the site operator reads it. Up to 1,000 characters.
discovery-claim-submit = Send the claim
discovery-claim-login = Log in to claim this organisation.
discovery-claim-sent = Your claim was sent. The site operator will check it.
discovery-my-claims = Your claims
discovery-claim-status-pending = Waiting
discovery-claim-status-approved = Approved
discovery-claim-status-declined = Declined
discovery-claim-status-superseded = Someone else's claim was approved
discovery-claim-reason = Reason: { $reason }
discovery-claim-sent-at = Sent { $time }
discovery-claim-pending-note = Your claim is waiting for the site operator. You will get a notification with the result.
discovery-back = Back to the directory

## Operators' claim queue
discovery-admin-title = Organisation claims (site operators)
discovery-admin-lead = Oldest first. Approving makes a community of the listing's kind from the listing, owned by the claimant; other claims for the same organisation are closed.
discovery-admin-none = No claims are waiting.
discovery-admin-claimant = Claimant: { $name }
discovery-admin-listing = Directory entry
discovery-admin-message = The claimant's message
discovery-admin-approve = Approve and make the community
discovery-admin-decline-reason = Reason for declining (the claimant reads it)
discovery-admin-decline = Decline
discovery-admin-approved = The claim was approved and the community made.
discovery-admin-declined = The claim was declined.

## Errors and refusals
discovery-error-message-empty = Say how you are connected to the organisation.
discovery-error-message-too-long = Keep it to 1,000 characters.
discovery-error-message-control = It contains characters that cannot be used.
discovery-error-reason-empty = Give a reason for declining.
discovery-error-reason-too-long = Keep it to 500 characters.
discovery-error-reason-control = It contains characters that cannot be used.
discovery-denied-not-operator = Only site operators can do this.
discovery-denied-listing-claimed = This organisation is already on tsunagari.
discovery-denied-claim-pending = Your claim for this organisation is already waiting.
discovery-denied-claim-decided = This claim has already been decided.

## Notifications
notification-organisation_claim_approved = Your claim of “{ $subject }” was approved: the community is yours to start.
notification-organisation_claim_declined = Your claim of “{ $subject }” was not approved.

## Feeds
discovery-feed-link = Atom feed
discovery-feed-community-title = { $name } (tsunagari)
discovery-feed-community-subtitle = Announcements and new threads of { $name }
discovery-feed-events-title = Public events (tsunagari)
discovery-feed-events-in-title = Public events in { $prefecture } (tsunagari)
discovery-feed-events-subtitle = Upcoming events of public communities
discovery-feed-announcement = Announcement
discovery-feed-thread = Thread
discovery-feed-event-summary = { $time } · { $place } · { $community }
