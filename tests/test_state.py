"""What the web application keeps and its limits: kept uploads per client, worker slots."""
from __future__ import annotations

import threading
import time

import pytest

from leaflet.app import state


def test_many_uploads_from_three_addresses_do_not_push_out_another_translators():
    kept = state.Recent(state.KEPT, state.KEPT_PER_ADDRESS, state.KEPT_PER_SESSION)
    translator = state.Client("192.0.2.1", "translator")
    theirs = kept.add(translator, "report")
    for n in range(66 * 10):  # the 66 tiny uploads, ten times over
        kept.add(state.Client(f"198.51.100.{n % 3}", f"s{n % 30}"), n)
    assert kept.get(translator, theirs) == "report"
    assert len(kept) <= state.KEPT
    assert kept.get(state.Client("192.0.2.1", "someone else"), theirs) is None


def test_a_session_over_its_share_loses_only_its_own_oldest():
    kept = state.Recent(10, 6, 3)
    other = state.Client("a", "other")
    key = kept.add(other, "other's")
    me = state.Client("a", "me")
    mine = [kept.add(me, n) for n in range(5)]
    assert kept.get(other, key) == "other's"
    assert [kept.get(me, k) for k in mine] == [None, None, 2, 3, 4]


def test_full_slots_and_queue_refuse_at_once_with_when_to_try_again():
    slots = state.Slots(running=1, waiting=1, wait=5, per_address=2, per_session=1,
                        retry_after=10)
    release = threading.Event()

    def hold(client):
        with slots.taken(client, "a check"):
            release.wait(5)

    holders = [threading.Thread(target=hold, args=(state.Client(f"a{n}", f"s{n}"),))
               for n in range(2)]  # one running, one queued
    for t in holders:
        t.start()
    time.sleep(0.2)
    began = time.monotonic()
    with pytest.raises(state.Busy) as busy:
        with slots.taken(state.Client("b", "t"), "a check"):
            pass
    assert time.monotonic() - began < 0.1 and busy.value.retry_after == 10
    assert ("Retry-After", "10") in busy.value.get_headers()
    release.set()
    for t in holders:
        t.join()
    with slots.taken(state.Client("b", "t"), "a check"):
        pass  # free again


def test_one_client_holds_at_most_its_share():
    slots = state.Slots(running=4, waiting=4, wait=5, per_address=2, per_session=1,
                        retry_after=10)  # two per address, to tell the two shares apart
    same_session = state.Client("a", "s")
    with slots.taken(same_session, "a check"):
        with pytest.raises(state.Busy, match="already has a check under way"):
            with slots.taken(same_session, "a check"):
                pass
        with slots.taken(state.Client("a", "s2"), "a check"):
            with pytest.raises(state.Busy):
                with slots.taken(state.Client("a", "s3"), "a check"):
                    pass


def test_the_rate_limit_agrees_with_the_slots_an_address_may_hold():
    """Checks a minute times the longest check: no more worker-seconds than the slots an
    address may hold give in a minute (the issue: 30 x 10 s = 300 where 4 slots give 240)."""
    per_minute = state.Settings().checks_per_minute * state.CHECK.seconds
    assert per_minute <= state.CHECKS_PER_ADDRESS * 60 < state.CHECK_SLOTS * 60


def test_render_py_serve_has_the_same_rate_limit_by_default():
    from leaflet import cli

    args = cli._parser().parse_args(["serve"])
    assert args.checks_per_minute == state.Settings().checks_per_minute
