"""The prompt pack registry of one step, in the runs table: a record per pack version and the pointer
naming the active version (and a canary). The TypeScript runtime reads the pointer
(`functions/stores/dynamo-prompt-pack-store.ts`)."""

from typing import Any

from . import keys
from .store import RecordStore


class StepRegistry:
    """One step's registry items, written with the job's timestamp."""

    def __init__(self, store: RecordStore, pipeline: str, step_id: str, now: str):
        self.store, self.pipeline, self.step_id, self.now = store, pipeline, step_id, now
        self.tenant = store.config.tenant_id

    def pointer(self) -> dict[str, Any]:
        """The step's pointer: `active` and `canary` as far as they exist."""
        return (
            self.store.get_item(keys.prompt_pack_pointer_key(self.tenant, self.pipeline, self.step_id)) or {}
        )

    def point(self, pointer: dict[str, Any]) -> None:
        """Replaces the pointer."""
        owner = {
            "tenantId": self.tenant,
            "pipeline": self.pipeline,
            "stepId": self.step_id,
            "updatedAt": self.now,
        }
        self.store.put_item(
            keys.prompt_pack_pointer_key(self.tenant, self.pipeline, self.step_id), pointer | owner
        )

    def activate(self, pointer: dict[str, Any], active: dict[str, str]) -> None:
        """Points the step at a new active version and retires the one it replaces."""
        previous = pointer.get("active")
        self.point(pointer | {"active": active})
        if previous:
            self.update(
                previous["version"], {"status": "retired", "reason": f"replaced by {active['version']}"}
            )

    def record(self, version: str, fields: dict[str, Any]) -> None:
        """Writes a version's record."""
        owner = {
            "tenantId": self.tenant,
            "pipeline": self.pipeline,
            "stepId": self.step_id,
            "version": version,
        }
        key = keys.prompt_pack_version_key(self.tenant, self.pipeline, self.step_id, version)
        self.store.put_item(key, owner | fields | {"updatedAt": self.now})

    def update(self, version: str, fields: dict[str, Any]) -> None:
        """Changes fields of a version's record, keeping the others."""
        key = keys.prompt_pack_version_key(self.tenant, self.pipeline, self.step_id, version)
        self.record(version, (self.store.get_item(key) or {}) | fields)
