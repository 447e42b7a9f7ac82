"""evsupply: curated, sourced tables and analyses of electric-vehicle supply chains."""

from evsupply.errors import DataError, ParameterError, Problem
from evsupply.load import Tables, load

__version__ = "0.1.0"
__all__ = ["DataError", "ParameterError", "Problem", "Tables", "__version__", "load"]
