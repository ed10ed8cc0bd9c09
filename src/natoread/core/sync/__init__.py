"""Sync with a feed server (Miniflux's REST API, the Google Reader API): the server polls and
keeps the shared read/star state; natoread stores its entries through the same ingest path
as polled feeds, so topics, quotes and stories are computed locally (see docs/sync.md)."""
