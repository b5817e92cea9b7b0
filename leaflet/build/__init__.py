"""The build: `build` (gather, render, verify, then write every output), `release`
(the release policy: a leaflet's status and edition in a language), `cards` (the card
of each red-flag list, and the edition it is made from), `freshness` (what an output
depends on, as content hashes: whether it is up to date), `stamp` (a build with nothing
to do, from one `stat` pass), `memo` (what the checks found of each edition, kept so an
up-to-date edition is not checked again), `control` (document control: review dates,
withdrawal, approval, a new version for new text), `reviews` (the team's record of
qualified reviews), `grid` (`make status`'s table) and `submissions` (catalogs sent by
translators, accepted into translations/ or rejected; used by the command line and the
web application alike).

May import: everything before it in the flow: `leaflet.errors`, `leaflet.inputs`,
`leaflet.layout`, `leaflet.formats`, `leaflet.checks` (and one another).
"""
