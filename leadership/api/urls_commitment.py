from leadership.api.views.commitment import CommitmentEntryViewSet


def register(router) -> None:
    router.register("commitment-entries", CommitmentEntryViewSet, basename="commitmententry")


urlpatterns: list = []
