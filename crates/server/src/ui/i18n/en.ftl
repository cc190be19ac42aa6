# Redline analyst UI — English. Every message here must exist in every other catalogue
# (a unit test checks). Placeables in { $braces } are filled in by the page.

## Frame
nav-queue = Alert queue
nav-screen = Screen a name
nav-search = Search
nav-lists = Lists
nav-audit = Audit trail
who = { $label } · key { $key } ({ $role })
sign-out = Sign out
stale-title = Stale lists
stale-text = screening answers rest on old data.
stale-line = { $version } ({ $datedby } { $dated }) is { $days } days old, stale after { $after } days: run `redline lists update --source { $source }`
dated-published = published
dated-loaded = loaded
refused = Refused: { $reason }
refused-title = Refused
any = any
yes = yes
no = no
suppressed = suppressed

## Sign-in
login-title = Sign in
login-key = API key (review or admin role)
login-submit = Sign in
login-err-unreadable = The sign-in form could not be read.
login-err-empty = Enter an API key.
login-err-unchecked = The key could not be checked; try again.
login-err-role = This key may not review alerts: the review or admin role is needed.
login-err-invalid = This API key is not valid (unknown or revoked).
login-err-random = No randomness from the system; cannot sign in.
login-err-sessions = Sessions are unavailable; cannot sign in.

## Errors
err-csrf = The form's security token does not match your session. Reload the page and try again.
err-form = The form could not be read.
err-filters = The filters could not be used:
err-store-title = The store could not be read
err-store = The store answered with an error:
err-no-alert-title = No such alert
err-no-alert = There is no alert with this number:
err-no-entity-title = No such entity
err-no-entity = There is no such entity in the lists in use:
err-no-lists-title = No lists loaded
err-no-lists = No list version is loaded.
err-busy-title = Busy
err-busy = The screening service is overloaded; try again in a moment.

## Statuses, kinds, types
status-open = open
status-escalated = escalated
status-pending-release = pending release
status-pending-false-positive = pending false positive
status-true-match = true match
status-false-positive = false positive
status-released = released
status-blocked = blocked
status-all = all
kind-name = name
kind-subject = subject
kind-payment = payment
kind-trade = trade
schema-person = person
schema-organization = organisation
schema-vessel = vessel
schema-aircraft = aircraft

## Queue
queue-title = Alert queue
f-status = Status
f-kind = Kind
f-list = List
f-program = Programme
f-min-score = Score from
f-max-score = Score up to
f-assignee = Assignee
f-assignee-hint = A reviewer's name or key; - for alerts nobody has taken
f-older = Older than (days)
f-sort = Order
f-per-page = Per page
f-schema = Type
f-submit = Filter
f-clear = Clear filters
sort-default = oldest first (open), else newest
sort-oldest = oldest first
sort-newest = newest first
sort-score = highest score first
sort-updated = recently changed first
queue-total = { $count ->
    [one] { $count } alert
   *[other] { $count } alerts
}
queue-showing = showing { $from }–{ $to } of { $total }
queue-export = Export these alerts as CSV
queue-empty = No alerts match these filters.
bulk-assignee = Give the ticked alerts to
bulk-submit = Assign ticked alerts
bulk-hint = Tick alerts in the table below; leave the name empty to put them back in the queue.
bulk-none = Tick at least one alert.
bulk-done = { $count ->
    [one] { $count } alert given to { $assignee }.
   *[other] { $count } alerts given to { $assignee }.
}
bulk-returned = { $count ->
    [one] { $count } alert put back in the queue.
   *[other] { $count } alerts put back in the queue.
}
bulk-failed = { $failed } of { $count } could not be assigned: { $errors }
col-id = #
col-kind = Kind
col-subject = Subject
col-top-match = Top match
col-score = Score
col-status = Status
col-assignee = Assignee
col-age = Age
col-raised = Raised
col-updated = Updated
age-days = { $days ->
    [one] { $days } day
   *[other] { $days } days
}
page-first = First
page-previous = Previous
page-next = Next
page-last = Last

## Alert
alert-title = Alert { $id }
d-report = Printable report
d-back = Back to the queue
d-subject-key = Subject key
d-raised = Raised
d-raised-by = Raised by
d-origin = { $via } ({ $by })
d-threshold = , threshold { $threshold }
d-not-recorded = not recorded
d-updated = Updated
d-assignee = Assigned to
d-nobody = nobody
d-list-versions = List versions
d-list-version = List version
d-payment = Payment message
d-trade = Trade
d-decision = Decision
d-message-gone = The message of this decision could not be read back.
d-hits = Hits
d-matches = Matches
d-query = Query
d-list-entry = List entry
d-score = score
d-suppressed = suppressed: a remembered false positive on unchanged data ({ $detail })
d-suppression-detail = suppression { $id }, approved by { $by } at { $at }
d-entity-gone = This entity is not in the lists in use now.
d-readings = The name as another language writes it, read as:
d-context = Words around the name, which weigh little:
d-adjustments = Evidence beyond the name
d-also-listed = Also listed as
d-history = Review history
d-no-history = No action yet.
d-closed = This alert is closed; notes can still be added.
col-at = At
col-reviewer = Reviewer
col-action = Action
col-reason-note = Reason or note
col-field = Field
col-value = Value
col-reason = Reason
col-list = List
col-entry = Entry
col-name = Name
col-name-type = Type of name
col-script = Script
col-programmes = Programmes
col-same-party = The same party by
col-matched-name = Matched name
col-your-words = Your words
tok-query = Query word
tok-list = List word
tok-how = How
tok-similarity = Similarity
lw-word = List-name word
lw-share = Share of the name's weight
lw-role = Weighed as
lw-matched = In the query
note-title = Case notes
note-label = Add a note (kept in the history and the audit trail)
note-submit = Add note
noted = Note added to alert { $id }.
assign-title = Assignment
assign-to = Give it to
assign-submit = Assign
assign-hint = Leave the name empty to put the alert back in the queue.
assigned = Alert { $id } given to { $assignee }.
assigned-none = Alert { $id } put back in the queue.
decide-title = Decision
decide-action = Action
decide-reason = Reason (required)
decide-submit = Record decision
decided = Alert { $id } is now { $status }.
hint-pending-release = { $first } approved the release. A second reviewer with another key must record release to let the payment go, or block it.
hint-pending-false-positive = { $first } judged this a false positive. A second reviewer with another key must record false positive to confirm it, or decide otherwise.
hint-payment = Releasing a held payment takes two reviewers with different keys: the first release waits for the second.
hint-strong-match = The top match scores { $score }, at or above { $bar }: a false positive takes two reviewers with different keys.
report-title = Alert { $id } — evidence report
report-printed = Printed { $at } UTC by { $by }. Use the browser's print command to print or save as PDF.

## Evidence
date-circa = circa { $date }
date-range = { $from } to { $to }
field-names = Names
field-schema = Type
field-source = List
field-birth-dates = Birth dates
field-birth-places = Birth places
field-nationalities = Nationalities
field-citizenships = Citizenships
field-countries = Countries
field-gender = Gender
field-identifiers = Identifiers
field-addresses = Addresses
field-programs = Programmes
field-listed-on = Listed on
field-links = Links
field-remarks = Remarks
field-reference = Your reference
namekind-primary = primary name
namekind-strong-alias = strong alias
namekind-weak-alias = weak alias
namekind-former-name = former name
namekind-original-script = original script
script-latin = Latin
script-cyrillic = Cyrillic
script-greek = Greek
script-arabic = Arabic
script-han = Chinese characters
script-hangul = Hangul
script-kana = Japanese kana
script-hebrew = Hebrew
script-georgian = Georgian
script-armenian = Armenian
script-devanagari = Devanagari
script-thai = Thai
script-mixed = mixed
script-none = none
script-other = other
idkind-passport = Passport
idkind-national-id = National ID
idkind-tax-id = Tax ID
idkind-registration = Registration number
idkind-imo = IMO number
idkind-mmsi = MMSI
idkind-bic = BIC
idkind-lei = LEI
idkind-crypto-address = Crypto address
idkind-aircraft-registration = Aircraft registration
idkind-aircraft-serial = Aircraft serial number
idkind-call-sign = Call sign
how-exact = exact
how-transliteration = transliteration
how-phonetic = sounds alike
how-edit-distance = spelling close
how-initial = initial
how-prefix = cut-off word
how-legal-form = same legal form
how-translation = translation
weight-identifying = identifying
weight-secondary = secondary name part
weight-descriptive = descriptive
weight-generic = generic
weight-legal-form = legal form
weight-title = title
context-place = place
context-title-or-office = title or office
context-organisation-role = organisation role
context-address = address
context-care-of-marker = care-of marker
reading-person-name-dictionary = person-name dictionary
reading-katakana = katakana reading
reading-hangul = hangul reading
reading-hebrew = Hebrew reading
reading-chinese-transcription = Chinese transcription
reading-korean-reading-of-han = Korean reading of Chinese characters
reading-syllabary-letters = syllable letters
reading-letters = letters
feature-address = address
feature-birth-date = birth date
feature-country = country
feature-former-name = former name
feature-generic-only = generic words only
feature-identifier = identifier
feature-identifier-conflict = conflicting identifier
feature-legal-form = legal form
feature-rare-name-birth-date = rare name and birth date
feature-syllable-missing = missing syllable
feature-title = title
feature-weak-alias = weak alias
action-escalate = escalate
action-true-match = true match
action-false-positive = false positive
action-release = release
action-block = block
action-assign = assign
action-note = note
hit-name = name
hit-bic = BIC
hit-lei = LEI
hit-identifier = identifier
hit-free-text = free text
hit-imo = IMO number
hit-country = country
hit-region = region
hit-error = not screened
pay-type = Message type
pay-message-id = Message id
pay-amount = Amount
pay-role = Role
pay-bic-account = BIC, LEI, account
role-debtor = debtor (payer)
role-creditor = creditor (payee)
role-ultimate-debtor = ultimate debtor
role-ultimate-creditor = ultimate creditor
role-initiating-party = initiating party
role-debtor-agent = debtor's bank
role-creditor-agent = creditor's bank
role-intermediary-agent = intermediary bank
role-instructing-agent = instructing bank
role-instructed-agent = instructed bank
role-ordering-customer = ordering customer (50)
role-ordering-institution = ordering institution (52)
role-beneficiary-customer = beneficiary (59)
role-beneficiary-institution = beneficiary institution (58)
role-account-with-institution = account with institution (57)
role-intermediary-institution = intermediary institution (56)
role-sender = sender
role-receiver = receiver
trade-route = Route
trade-vessel = Vessel
trade-hs = HS code
trade-description = Goods
trade-quantity = Quantity
trade-value = Value

## Screening form
screen-title = Screen a name
screen-name = Name, in any script
screen-birth-date = Birth date
screen-country = Country
screen-raise = Raise an alert for the matches
screen-submit = Screen
screen-hint = A screening here raises no alert unless you tick the box; it is screened against every list in use, as the API screens.
screen-against = Screened against
screen-raised = Alert { $id } raised: open it
screen-no-match = No match at the alert threshold.

## Search
search-title = Search the lists
search-q = Name, part of one, or a number
search-submit = Search
search-hint = A look-up raises no alert: results are ranked by how much of what you typed each name explains.
search-nothing = Nothing found for { $q } with these filters.
search-total = { $count ->
    [one] { $count } result
   *[other] { $count } results
}
search-more = (or more: narrow the search)
facet-lists = Lists
facet-types = Types
facet-countries = Countries

## Entity
entity-history = Across list versions
entity-new = New in this list version.
entity-unchanged-since = Unchanged since list version { $version }.
entity-before = Before
entity-now = Now
ownership-title = Ownership
ownership-unlisted = On no list; known from the ownership files.
ownership-ofac = OFAC 50% rule
ownership-eu-uk = EU/UK owned or controlled
ownership-none = Not blocked by ownership under either rule; no leads.
ownership-leads = Leads for review
ownership-lead = Lead
ownership-owner = Owner
ownership-share = Share
ownership-from = From
ownership-candidate = { $owner } — may be { $entity } ({ $id }, name match { $score })
lead-unknown-share = unknown share
lead-control = control
lead-share-band = share band
lead-doubtful-owner = doubtful owner

## Lists
lists-title = Lists in use
lists-index = Index: { $entities } entities, { $names } names, built { $at } UTC.
lists-version = Version
lists-published = Published
lists-loaded = Loaded
lists-counts = Counts
lists-warnings = Warnings
count-entities = entities
count-persons = persons
count-organizations = organisations
count-vessels = vessels
count-aircraft = aircraft
count-names = names
count-identifiers = identifiers
count-links = links

## Audit
audit-title = Audit trail
audit-intact = Intact: { $entries } entries, every hash link holds.
audit-broken = BROKEN at entry { $seq }: { $problem }
audit-verify = Verify the whole chain now
audit-alert = Alert
audit-actor = Actor
audit-actor-label = Actor's label
audit-from = From (date)
audit-to = To (date)
audit-all-alert-actions = every alert action
audit-total = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
audit-export = Export these entries as CSV
audit-details = Details
audit-hash = Hash
audit-decide = Alert { $alert }: { $action } ({ $from } → { $to }). { $reason }
audit-note = Alert { $alert }: note: { $text }
audit-assign = Alert { $alert } given to { $assignee }.
audit-unassign = Alert { $alert } put back in the queue.
audit-raise = Alert { $alert } ({ $kind }) raised or updated with { $matches } matches.
