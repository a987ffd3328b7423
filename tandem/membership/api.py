from ninja import Router

router = Router(tags=["membership"])
ROUTERS: list[tuple[str, Router]] = [("/membership", router)]
