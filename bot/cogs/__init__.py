"""Discord commands, one cog per concern; each module exposes ``async def setup(bot)``."""
