# Union petitions: the list, the organisers' form, one petition.
petitions-title = Petitions
petitions-intro = Demands the union puts to an employer or another body. Sign to add your support: only the count is shown unless you choose to show your name.
petitions-open = Open for signatures
petitions-none-open = No petition is open for signatures right now.
petitions-closed = Closed
petitions-back = Petitions of { $name }
petition-new = Start a petition
petition-new-title = Start a petition
petition-field-title = Title
petition-field-target = Addressed to
petition-field-target-hint = Who the demand is for, e.g. an employer.
petition-field-demand = The demand
petition-field-demand-hint = What you ask for and why. Markdown works: **bold**, lists, links. Up to 10,000 characters.
petition-field-goal = Signature goal
petition-field-goal-hint = How many signatures you aim for (1 to 1,000,000). Milestones are shown at 25, 50, 75 and 100%.
petition-field-deadline = Deadline
petition-field-deadline-hint = Signing closes at this time ({ $zone }); signers may withdraw until then.
petition-field-open-to-all = Anyone signed in may sign, not only members
petition-field-open-to-all-hint = Leave unticked for a members-only petition.
petition-create-submit = Start the petition
petition-created = The petition is open for signatures.
petition-to = To { $target }
petition-count-of-goal = { $goal ->
    [one] { $count } of { $goal } signature
   *[other] { $count } of { $goal } signatures
}
petition-deadline-at = Closes { $time }
petition-closed-at = Closed { $time }
petition-closed-badge = Closed
petition-who-signs = Who may sign
petition-audience-members = Members of the union
petition-audience-signed_in = Anyone signed in
petition-progress = { $percent }% of the goal
petition-you-signed = You signed on { $time }.
petition-your-name-shown = Your name is shown on the petition.
petition-your-name-hidden = Your name is not shown; you are counted.
petition-withdraw = Withdraw my signature
petition-withdrawn = Your signature was withdrawn.
petition-show-name = Show my name on the petition
petition-show-name-hint = Unticked, only the count includes you. Organisers never see your e-mail address.
petition-sign = Sign
petition-signed = Thank you: your signature is counted.
petition-login-to-sign = Log in to sign
petition-members-only = Only members of the union may sign this petition.
petition-closed = This petition is closed.
petition-milestones-title = Milestones
petition-milestone = { $count ->
    [one] { $percent }% — { $count } signature
   *[other] { $percent }% — { $count } signatures
}
petition-milestone-reached = Reached on { $time }
petition-milestone-not-yet = Not yet reached
petition-updates-title = Updates from the organisers
petition-updates-none = No updates yet.
petition-update-was-sent = sent to every signer
petition-supporters-title = Supporters
petition-supporters-hint = Names are shown only for signers who chose to show them.
petition-supporters-unnamed = { $count ->
    [one] and { $count } supporter who is counted without a name
   *[other] and { $count } supporters who are counted without a name
}
petition-post-update = Post an update
petition-field-update = Update
petition-field-update-hint = A dated milestone such as “Handed to the employer today”. Up to 2,000 characters.
petition-field-notify = Send it to every signer as a notification
petition-field-notify-hint = Signers get a notification in tsunagari; you do not see their addresses.
petition-update-submit = Post the update
petition-update-posted = The update was posted.
petition-update-sent = The update was posted and sent to the signers.
petition-error-title = Give the petition a title of up to 120 characters.
petition-error-demand = Write the demand (up to 10,000 characters).
petition-error-target = Say who the petition is addressed to (up to 120 characters).
petition-error-goal = The goal is a whole number from 1 to 1,000,000.
petition-error-deadline = Choose a deadline in the future, at most two years ahead.
petition-error-audience = Choose who may sign.
petition-error-update = Write an update of up to 2,000 characters.
petition-denied-already-signed = You have already signed this petition.
petition-denied-not-signed = You have not signed this petition.
petition-denied-closed = The deadline has passed: signatures can no longer be added or withdrawn.
notification-petition_message = The organisers of “{ $subject }”, which you signed, posted an update.
