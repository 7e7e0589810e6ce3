## Opinion box (意見の反映)
opinion-title = Opinion box
opinion-lead = Opinions go to the people who run this community, and each one gets a recorded response. Every response is shown here to all members.
opinion-figures-title = How the box is answered
opinion-figures-median = Median time to first response
opinion-figures-median-none = No responses yet
opinion-figures-concluded = Answered, adopted or declined
opinion-figures-responded = With at least one response
opinion-figures-share = { $percent }% ({ $count } of { $total })
opinion-unanswered-title = Waiting for a first response (oldest first)
opinion-unanswered-none = Every opinion has a response.
opinion-new-title = Send an opinion
opinion-field-title = Title
opinion-field-body = Your opinion
opinion-field-body-hint = Up to 5,000 characters. Shown as plain text.
opinion-field-anonymous = Send without my name
opinion-field-anonymous-hint = Other members and the organisers will not see your name. It is still stored, and only the site operator can see it, to deal with abuse.
opinion-submit = Send
opinion-submitted = Your opinion was sent. You will be notified when the organisers respond.
opinion-list-title = Opinions
opinion-filter-label = Show
opinion-filter-all = All opinions
opinion-filter-mine = Mine
opinion-none = No opinions yet.
opinion-none-mine = You have not sent an opinion yet.
opinion-by = From { $name }
opinion-by-you = From you
opinion-by-you-anonymous = From you (others see no name)
opinion-by-anonymous = Anonymous
opinion-by-gone = From a former member
opinion-sent = Sent { $time }
opinion-status-received = Received
opinion-status-under_discussion = Under discussion
opinion-status-answered = Answered
opinion-status-adopted = Adopted
opinion-status-declined = Declined
opinion-status-label = Status
opinion-first-response = First response after { $elapsed }
opinion-waiting = No response yet ({ $elapsed } so far)
opinion-responses-count = { $count ->
    [one] { $count } response
   *[other] { $count } responses
}
opinion-elapsed-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
opinion-elapsed-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
opinion-elapsed-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
opinion-back = Back to the opinion box
opinion-history-title = Responses
opinion-history-none = No response yet. The organisers have been asked to respond.
opinion-response-by = { $name }, { $time }
opinion-response-by-gone = A former organiser, { $time }
opinion-respond-title = Respond
opinion-respond-lead = Your response is recorded with your name and shown to every member. The author is notified.
opinion-field-status = New status
opinion-field-response = Response
opinion-field-response-hint = Needed to answer, adopt or decline (for a decline, give the reason). Moving an opinion to “under discussion” may go without one.
opinion-respond-submit = Record the response
opinion-responded = Response recorded.
opinion-error-title = Give a title of up to 120 characters.
opinion-error-body = Write up to 5,000 characters (it cannot be empty).
opinion-error-reason = Give the reason for declining.
opinion-error-status = Choose under discussion, answered, adopted or declined.
notification-opinion_answered = The organisers responded to your opinion “{ $subject }”.
opinion-denied-daily-limit = Each member can send up to { $count } opinions to this box in a day (24 hours). Please send this one later; what you wrote is kept.
opinion-daily-limit-note = You can send up to { $count } opinions a day, anonymous ones included.
