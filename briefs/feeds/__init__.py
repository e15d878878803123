"""Feed intake: subscriptions, fetching, parsing and polling, for the CLI, the cog and the
bot's scheduler alike. Nothing here imports discord."""
