"""The explorer: a project's scores to pick, compare and simulate, in JupyterLab (``make
lab``) or in the browser with the code hidden (``evalkit explore``, Voila). The logic lives in
:mod:`~evalkit.report.explore.project` (what a project folder holds),
:mod:`~evalkit.report.explore.whatif` (the live what-if), :mod:`~evalkit.report.explore.views`
and :mod:`~evalkit.report.explore.downloads`; the widgets in
:mod:`~evalkit.report.explore.widgets` and :mod:`~evalkit.report.explore.whatif_panel`."""

from evalkit.report.explore.dashboard import Explorer

__all__ = ["Explorer"]
