"""Entry point served by ``panel serve dashboard/app.py`` and ``qgas serve``."""

import panel as pn

pn.extension()
pn.Column("# Quantum Gas Explorer", "The dashboard is being assembled.").servable(
    title="Quantum Gas Explorer"
)
