"""Handlers that post the alert message to a chat or push-notification service."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, StrictStr

from tickgen.schema import ERROR_KEY
from tickgen.tick.quote import Tick

from ._base import HandlerModel, call, flag, template_field, text


class PushoverHandler(HandlerModel):
    """Send a Pushover notification (``.pushover()``)."""

    kind: Literal["pushover"] = Field(description="Handler type: Pushover.")
    user_key: StrictStr = Field(default="", description="User or group key to notify.")
    device: StrictStr = Field(default="", description="Device name; empty means all devices.")
    title: StrictStr = Field(default="", description="Message title; empty means the app's name.")
    url: StrictStr = Field(default="", description="Supplementary URL shown with the message.")
    url_title: StrictStr = Field(default="", description="Title of the supplementary URL.")
    sound: StrictStr = Field(default="", description="Notification sound name.")

    def lines(self) -> list[Tick]:
        return [
            call("pushover"),
            *text("userKey", self.user_key),
            *text("device", self.device),
            *text("title", self.title),
            *text("uRL", self.url),
            *text("uRLTitle", self.url_title),
            *text("sound", self.sound),
        ]


class SlackHandler(HandlerModel):
    """Post the alert message to Slack (``.slack()``)."""

    kind: Literal["slack"] = Field(description="Handler type: Slack.")
    workspace: StrictStr = Field(
        default="", description="Which [[slack]] configuration to use; empty means the default."
    )
    channel: StrictStr = Field(
        default="", description="Channel ('#ops') or user ('@alice'); empty means configured."
    )
    username: StrictStr = Field(default="", description="Name the message is posted as.")
    icon_emoji: StrictStr = Field(default="", description="Emoji used as the avatar, ':ghost:'.")

    def lines(self) -> list[Tick]:
        return [
            call("slack"),
            *text("workspace", self.workspace),
            *text("channel", self.channel),
            *text("username", self.username),
            *text("iconEmoji", self.icon_emoji),
        ]


class DiscordHandler(HandlerModel):
    """Post the alert message to a Discord webhook (``.discord()``). Kapacitor 1.5.6+."""

    kind: Literal["discord"] = Field(description="Handler type: Discord.")
    workspace: StrictStr = Field(
        default="", description="Which [[discord]] configuration to use; empty means the default."
    )
    username: StrictStr = Field(default="", description="Name the webhook posts as.")
    avatar_url: StrictStr = Field(default="", description="URL of the webhook's avatar.")
    embed_title: StrictStr = template_field(
        "discord", "embedTitle", "Title of the message embed.", default=""
    )

    def lines(self) -> list[Tick]:
        return [
            call("discord"),
            *text("workspace", self.workspace),
            *text("username", self.username),
            *text("avatarURL", self.avatar_url),
            *text("embedTitle", self.embed_title),
        ]


class TelegramHandler(HandlerModel):
    """Send the alert message with a Telegram bot (``.telegram()``)."""

    kind: Literal["telegram"] = Field(description="Handler type: Telegram.")
    chat_id: StrictStr = Field(default="", description="Chat to post to; empty means configured.")
    parse_mode: StrictStr = Field(
        default="",
        # Kapacitor compares case-insensitively, and JSON Schema has no (?i).
        pattern="^(?:[Mm][Aa][Rr][Kk][Dd][Oo][Ww][Nn]|[Hh][Tt][Mm][Ll])?$",
        description="How Telegram formats the message: Markdown or HTML.",
        json_schema_extra={
            ERROR_KEY: {
                "pattern": "is not a Telegram parse mode: write Markdown or HTML (in any "
                "case), or leave it empty for plain text"
            }
        },
    )
    disable_web_page_preview: StrictBool = Field(
        default=False, description="Do not show previews of links in the message."
    )
    disable_notification: StrictBool = Field(
        default=False, description="Deliver the message silently."
    )

    def lines(self) -> list[Tick]:
        return [
            call("telegram"),
            *text("chatId", self.chat_id),
            *text("parseMode", self.parse_mode),
            *flag("disableWebPagePreview", self.disable_web_page_preview),
            *flag("disableNotification", self.disable_notification),
        ]


class HipChatHandler(HandlerModel):
    """Post the alert message to a HipChat room (``.hipChat()``)."""

    kind: Literal["hipChat"] = Field(description="Handler type: HipChat.")
    room: StrictStr = Field(default="", description="Room id or name; empty means configured.")
    token: StrictStr = Field(default="", description="Room token; empty means configured.")

    def lines(self) -> list[Tick]:
        return [call("hipChat"), *text("room", self.room), *text("token", self.token)]


class TalkHandler(HandlerModel):
    """Post the alert message to Talk (``.talk()``); everything comes from [talk]."""

    kind: Literal["talk"] = Field(description="Handler type: Talk.")

    def lines(self) -> list[Tick]:
        return [call("talk")]


class TeamsHandler(HandlerModel):
    """Post the alert message to a Microsoft Teams channel (``.teams()``). Kapacitor 1.5.6+."""

    kind: Literal["teams"] = Field(description="Handler type: Microsoft Teams.")
    channel_url: StrictStr = Field(
        default="", description="The channel's incoming-webhook URL; empty means configured."
    )

    def lines(self) -> list[Tick]:
        return [call("teams"), *text("channelURL", self.channel_url)]
