"""The apps' words: labels from :mod:`planlib.i18n`, method names, the demo banner (no pandas)."""

from __future__ import annotations

import html

from .. import i18n


def label(key: str, lang: str, **fmt) -> str:
    """An app label (:data:`planlib.i18n.APP_LABELS`), formatted.

    Examples:
        >>> label("showing", "en", n=3, total=90)
        'Showing 3 of 90 indicators'
    """
    text = i18n.t(key, lang, i18n.APP_LABELS)
    return text.format(**fmt) if fmt else text


def method_label(method: object, lang: str) -> str:
    """A projection method's name for readers.

    Examples:
        >>> method_label("auto", "en"), method_label("", "zh")
        ('Automatic', '')
    """
    if not isinstance(method, str) or not method:
        return ""
    entry = i18n.METHOD_LABELS.get(method)
    return entry[lang] if entry else method


def banner_html(lang: str = "zh") -> str:
    """The demo-data banner.

    Examples:
        >>> "示例数据（非官方统计）" in banner_html()
        True
    """
    return (f'<div class="planlib-demo-banner" role="note">⚠ <strong>'
            f'{html.escape(i18n.t("demo_banner", lang))}</strong></div>')
