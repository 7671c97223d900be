package dev.syncline.connectors.reach;

/** One setting of a connector's config that points where connectors may not go, e.g. {@code host}, and why. */
public record SettingRefused(String setting, String message) { }
