"""Client transfers: some clients move to another therapist between two of their sessions."""

from __future__ import annotations

import random

from backoffice.demo.plan import NOW, Plan, Transfer
from backoffice.demo.rand import stream_rng
from backoffice.demo.sizes import DemoSize


def plan_transfers(plan: Plan, offsets: list[int], size: DemoSize, seed: int) -> None:
    """Choose transfers and give each client's later sessions to the new therapist.

    Works on the plan in client order (`offsets` from `draw_sessions`). A transfer happens after a
    past session and before the next one (and before now), so the history and the future agree.
    """
    if size.therapists < 2:
        return
    rng = stream_rng(seed, "transfers")
    doubles = size.transfers // 10
    movable: list[int] = []
    twice: list[int] = []
    for client, n in enumerate(plan.sessions):
        room = min(_past_sessions(plan, offsets[client], n), n - 1)
        if n >= 4 and room >= 1:
            (twice if room >= 2 and n >= 6 else movable).append(client)
    chosen_twice = set(rng.sample(twice, min(doubles, len(twice))))
    movable += [client for client in twice if client not in chosen_twice]
    once = min(size.transfers - 2 * len(chosen_twice), len(movable))
    chosen = sorted(chosen_twice.union(rng.sample(movable, once)))
    transfers: list[Transfer] = []
    for client in chosen:
        moves = 2 if client in chosen_twice else 1
        transfers.extend(_move(rng, plan, offsets[client], client, moves, size))
    transfers.sort(key=lambda transfer: transfer.minute)
    plan.transfers = transfers


def _past_sessions(plan: Plan, offset: int, n: int) -> int:
    past = 0
    while past < n and plan.start[offset + past] < NOW:
        past += 1
    return past


def _move(
    rng: random.Random, plan: Plan, offset: int, client: int, moves: int, size: DemoSize
) -> list[Transfer]:
    n = plan.sessions[client]
    room = min(_past_sessions(plan, offset, n), n - 1)
    boundaries = sorted(rng.sample(range(1, room + 1), moves))
    result = []
    therapist = plan.therapist[offset]
    for boundary in boundaries:
        target = rng.randrange(size.therapists - 1)
        target += target >= therapist  # anyone but the current therapist
        before = plan.start[offset + boundary - 1]
        after = min(plan.start[offset + boundary], NOW)
        minute = before + 120 + rng.randrange(max(1, after - before - 240))
        result.append(Transfer(client, minute, therapist, target, rng.randrange(size.admins)))
        for k in range(boundary, n):
            plan.therapist[offset + k] = target
        therapist = target
    plan.current_therapist[client] = therapist
    return result
