"""The latency floor: a trivial one-curve Panel app (served by ``benchmarks.dashboard_latency``).

One slider, one HoloViews curve y = sin(a x) in a DynamicMap, the same serving stack and
update path (in-place data update) as the dashboard's views. Its data source is named
``trivial|curve`` so the benchmark can watch it like a dashboard view.
"""

import holoviews as hv
import numpy as np
import panel as pn

pn.extension()

slider = pn.widgets.FloatSlider(
    name="a", start=0.5, end=10.0, step=0.1, value=1.0, css_classes=["qge-trivial"]
)
x = np.linspace(0.0, 10.0, 200)


def name_source(plot, element):
    plot.handles["source"].name = "trivial|curve"


def curve(a):
    return hv.Curve((x, np.sin(a * x)), "x", "y").opts(
        hooks=[name_source], responsive=True, height=300
    )


pn.Column(slider, pn.pane.HoloViews(hv.DynamicMap(pn.bind(curve, slider)))).servable()
