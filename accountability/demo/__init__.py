"""Demo data for local use (`manage.py seed_demo`): the tables, and what writes them.

Accounts for each persona, and attacks in four missions whose cases cover every stage a
case can reach, from no investigation to a final conviction, all written through the
services and dated relative to one anchor day.
"""

from accountability.demo.builder import DemoBuilder, DemoResult, demo_present
from accountability.demo.data import ACCOUNTS, DEMO_USERNAMES, INCIDENTS, MISSIONS

__all__ = [
    "ACCOUNTS",
    "DEMO_USERNAMES",
    "INCIDENTS",
    "MISSIONS",
    "DemoBuilder",
    "DemoResult",
    "demo_present",
]
