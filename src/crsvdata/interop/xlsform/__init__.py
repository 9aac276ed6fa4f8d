"""XLSForm generation for KoboToolbox and ODK Collect.

A first-contact case form and a separate identity form (identity questions never enter the case form).
"""

from crsvdata.interop.xlsform.form import (
    CASE_FORM_LISTS,
    FormSheets,
    case_form,
    identity_form,
    write_xlsform,
)

__all__ = ["CASE_FORM_LISTS", "FormSheets", "case_form", "identity_form", "write_xlsform"]
