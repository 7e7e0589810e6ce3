# The union's solidarity fund (連帯基金): summary, contributing, claims, decisions.
fund-title = Solidarity fund
fund-intro = Members put money into a shared fund, and members in trouble can ask it for support. Every yen in and out is recorded on a ledger that cannot be edited.
fund-summary-title = The fund at a glance
fund-balance = in the fund now
fund-contributed-total = { $count ->
    [one] contributed so far ({ $count } contribution)
   *[other] contributed so far ({ $count } contributions)
}
fund-paid-total = { $count ->
    [one] paid out ({ $count } claim)
   *[other] paid out ({ $count } claims)
}
fund-pending-total = claims waiting for a decision
fund-summary-hint = The balance is what was contributed minus what was paid out, computed from the ledger every time.
fund-contribute-title = Contribute
fund-field-amount = Amount (yen)
fund-field-amount-hint = Whole yen, up to { $max }.
fund-contribute-submit = Contribute
fund-contributed = Thank you: your contribution is recorded.
fund-claim-link = Ask the fund for support
fund-mine-title = Yours
fund-my-contributions = Your contributions
fund-my-contributions-none = You have not contributed yet.
fund-my-claims = Your claims
fund-my-claims-none = You have not made a claim.
fund-payouts-title = Payouts
fund-payouts-hint = Date and amount only: who was paid and why stay with the claimant and the deciders.
fund-payouts-none = Nothing has been paid out yet.
fund-date = Date
fund-deciders-title = Who decides claims
fund-deciders-organisers = The organisers decide while there is no committee: { $names }.
fund-deciders-committee = The committee: { $names }.
fund-deciders-none = nobody yet
fund-list-separator = { ", " }
fund-approvals-needed = { $count ->
    [one] A claim is paid after { $count } approval. Nobody decides their own claim.
   *[other] A claim is paid after { $count } approvals. Nobody decides their own claim.
}
fund-claims-title = Claims to decide
fund-claims-none = No claims.
fund-settings-title = How claims are decided
fund-field-committee = Committee members
fund-field-committee-hint = Choose the members who decide claims. Choose nobody and the organisers decide.
fund-field-approvals-needed = Approvals needed to pay a claim
fund-field-approvals-needed-hint = From 1 up to the number of people who decide, e.g. 2 of 3.
fund-settings-save = Save
fund-settings-saved = How claims are decided is saved.
fund-claim-title = Ask the fund for support
fund-claim-privacy = Only you and the people who decide claims see your reason. Members see only the date and amount of a payout.
fund-claim-privacy-page = Only the claimant and the people who decide claims see this reason. Members see only the date and amount of a payout.
fund-field-reason = Why you need support
fund-field-reason-hint = What happened and what the money is for. Up to 2,000 characters.
fund-claim-submit = Send the claim
fund-claimed = Your claim was sent to the people who decide.
fund-back = Solidarity fund of { $name }
fund-claim-of = Claim for { $amount }
fund-field-status = Status
fund-status-pending = Waiting for a decision
fund-status-paid = Paid
fund-status-rejected = Not approved
fund-claimant = Claimant
fund-former-account = Former account
fund-claimed-at = Claimed
fund-approvals = Approvals
fund-approvals-of = { $count } of { $needed }
fund-not-covered = the fund cannot cover this claim yet
fund-refused-title = The claim cannot be paid yet
fund-decisions-title = Decisions
fund-decisions-none = No decisions yet.
fund-approved = approved
fund-rejected = did not approve
fund-decide-title = Your decision
fund-field-note = Note
fund-field-note-hint = Needed when you do not approve: the claimant sees it.
fund-approve = Approve
fund-reject = Do not approve
fund-decided-paid = Approved: the claim is paid.
fund-decided-rejected = The claim was not approved.
fund-decided-recorded = Your decision is recorded; more approvals are needed.
fund-error-amount-whole = Enter whole yen, e.g. 5000.
fund-error-amount-positive = The amount must be more than zero.
fund-error-amount-too-large = The amount can be at most 1,000,000 yen.
fund-error-reason = Write why you need support (up to 2,000 characters).
fund-error-note = Write a note (up to 1,000 characters) when you do not approve.
fund-error-approvals-needed = The approvals needed must be at least 1 and no more than the people who decide.
fund-denied-own-claim = Nobody decides their own claim.
fund-denied-not-decider = Only the committee (or, without one, the organisers) decides claims.
fund-denied-already-decided = You have already decided this claim.
fund-denied-settled = This claim is already decided.
fund-denied-claimant-gone = The claimant's account no longer exists: the claim can only be not approved.
fund-denied-would-overdraw = The fund holds less than this claim asks for, so it cannot be paid now. Nothing was recorded: decide again once more has been contributed.
notification-fund_claim_decided = Your solidarity-fund claim for { $subject } was decided.

## Claims decided by a ballot of the members
fund-field-method = Claims are decided by
fund-method-committee = The committee (or the organisers, without one)
fund-method-ballot = A secret ballot of the members
fund-field-method-hint = With a ballot, every claim opens a secret yes/no/abstain vote. The claimant is not named and does not vote. Claims already made keep the way they were made under.
fund-settings-committee = When the committee decides
fund-settings-ballot = When the members vote
fund-field-ballot-days = Length of the vote (days)
fund-field-ballot-days-hint = From 1 to 30 days. Someone is waiting for the money, so shorter is kinder.
fund-field-ballot-quorum = Quorum (%)
fund-field-ballot-quorum-hint = If a smaller share of the members votes, the claim is turned down. 0 means no quorum.
fund-decided-by-ballot = { $days ->
    [one] Claims are decided by a secret ballot of the members, open for { $days } day; a claim is paid when more vote yes than no. Nobody votes on their own claim.
   *[other] Claims are decided by a secret ballot of the members, open for { $days } days; a claim is paid when more vote yes than no. Nobody votes on their own claim.
}
fund-ballot-quorum = Quorum: { $percent }% of the members
fund-claim-privacy-ballot = { $days ->
    [one] The members decide this claim in a secret ballot ({ $days } day). The amount and your reason are shown to every member in the ballot; your name is not.
   *[other] The members decide this claim in a secret ballot ({ $days } days). The amount and your reason are shown to every member in the ballot; your name is not.
}
fund-claim-privacy-page-ballot = The amount and the reason are shown to every member in the ballot. Only the claimant and the committee (or the organisers) see the claimant's name.
fund-decided-by = Decided by
fund-ballot-link = The members' ballot
fund-ballot-closes = closes { $time }
fund-ballot-result = Result of the vote
fund-ballot-passed = Passed (yes { $yes }, no { $no }, abstain { $abstain })
fund-ballot-failed = Not passed (yes { $yes }, no { $no }, abstain { $abstain })
fund-ballot-waiting-for-funds = The members voted yes, but the fund does not hold enough. The claim is paid automatically once contributions cover it.
fund-denied-by-ballot = The members decide this claim by ballot; the committee cannot decide it.
fund-error-method = Choose the committee or a ballot of the members.
fund-error-ballot-days = The length of the vote is a number of days from 1 to 30.
fund-error-ballots-off = Ballots are switched off in this union. Switch them on in the tool settings first.
fund-error-ballot-quorum = The quorum is a whole number from 0 to 100.
fund-payouts-all = { $count ->
    [one] See the payout
   *[other] See all { $count } payouts
}
fund-payouts-history-title = Payouts
fund-payouts-pages = Pages of payouts
fund-payouts-newest = Newest payouts
fund-payouts-older = Older payouts
fund-status-withdrawn = Withdrawn
fund-withdraw-title = Withdraw this claim
fund-withdraw-lead = If you no longer need the money, you can withdraw the claim until it is decided. A withdrawn claim stays on record and cannot be reopened; claim again if you need to.
fund-withdraw-submit = Withdraw the claim
fund-claim-withdrawn = Your claim is withdrawn.
