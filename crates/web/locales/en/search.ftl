# Search: the header's search box, the search page, filters, results, input errors.
search-header-label = Search this site
search-header-placeholder = care, parental leave, UX…
search-header-submit = Search
search-title = Search
search-title-with-query = Results for “{ $query }”
search-form-label = Search and filters
search-q = Words to find
search-q-placeholder = e.g. 介護 Niigata side job UX
search-filter-type = Type
search-any-type = All types
search-filter-kind = Kind of community
search-any-kind = All kinds
search-filter-prefecture = Prefecture
search-any-prefecture = Anywhere
search-filter-tag = Tag
search-filter-format = Format (events)
search-any-format = Either
search-format-online = Online
search-format-in-person = In person
search-filter-from = From
search-filter-to = Until
search-submit = Search
search-clear = Clear
search-type-community = Community
search-type-event = Event
search-type-thread = Thread
search-type-reply = Reply
search-type-public-scheme = Public help
search-type-organisation = Directory listing
search-results-title = Results
search-summary = Results for “{ $query }”: { $count }
search-summary-filters = { $count ->
    [one] 1 match
   *[other] { $count } matches
}
search-none = Nothing found. Try other words, or fewer filters.
search-did-you-mean = Did you mean:
search-preparing = Search is being prepared. Please try again in a moment.
search-pages-label = Result pages
search-previous = Previous
search-next = Next
search-members = { $count ->
    [one] 1 member
   *[other] { $count } members
}
error-search-query = Use at most 200 characters and 10 words.
error-search-type = Choose one of the listed types.
error-search-kind = Choose one of the listed kinds of community.
error-search-prefecture = Choose one of the listed prefectures.
error-search-tag = Use at most 50 characters for the tag.
error-search-online = Choose online or in person.
error-search-from = Enter the date as 2026-12-01.
error-search-to = Enter the date as 2026-12-31, on or after the first day.
error-search-page = Pages go from 1 to 100.
api-error-search-preparing = Search is being prepared. Please try again in a moment.
