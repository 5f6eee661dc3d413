"""The paper's method: biweekly periods, lag, synchronization type, intensity and pattern,
switches and delays, similarity, maturity — pure functions over the commit frame."""
