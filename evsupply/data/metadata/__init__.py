"""The schema's single definition: every column once (`fields`), every table as a list of columns (`resources`).

`data/datapackage.json` and `docs/data-dictionary.md` are generated from these (`make schema`); a test keeps the
published files in step with them.
"""

from evsupply.data.metadata.fields import FIELDS, Field
from evsupply.data.metadata.resources import PACKAGE, RESOURCES, Resource

__all__ = ["FIELDS", "PACKAGE", "RESOURCES", "Field", "Resource"]
