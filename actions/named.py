"""The one shape of a custom action: its name from bot.names, its work in `act`.

Rasa SDK calls `name()` and `run(dispatcher, tracker, domain)`. No action here reads the domain
(the texts are in domain.yml and the dispatcher sends them by name), so `act` gets only what it
uses, and the name lives in one class attribute. The SDK's registry skips this abstract base.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class NamedAction(Action, ABC):
    """A custom action whose `action_name` is one of bot.names.Action."""

    action_name: ClassVar[str]

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await self.act(dispatcher, tracker)

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """What the action says and which events it returns."""
