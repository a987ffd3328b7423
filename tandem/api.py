# Filled in by the API work.
from ninja import NinjaAPI

api = NinjaAPI(title="Tandem API", version="1", urls_namespace="api")
