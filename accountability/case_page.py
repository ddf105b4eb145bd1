"""What the apps above this one add to a case's page.

Each registers, in its AppConfig.ready, a function (request, case) -> template context:
the follow-up reports app adds the host State's report block. So the case page shows
what those apps know without this app importing them (docs/developers/architecture.md).
"""

_blocks: list = []


def case_page_block_register(block) -> None:
    """Add `block(request, case) -> dict` to every case page's context (once)."""
    if block not in _blocks:
        _blocks.append(block)


def case_page_blocks(request, case) -> dict:
    """The context every registered block adds to this case's page."""
    context: dict = {}
    for block in _blocks:
        context.update(block(request, case))
    return context
