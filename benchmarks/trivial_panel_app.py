"""The latency floor: a trivial one-curve Panel app (served by ``benchmarks.dashboard_latency``).

One slider, one Bokeh curve y = sin(a x), the same serving stack and update path (new data
written into the figure's source) as the dashboard's views (``dashboard.plotting``). Its
data source is named ``trivial|curve`` so the benchmark can watch it like a dashboard view.
"""

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

pn.extension()

slider = pn.widgets.FloatSlider(
    name="a", start=0.5, end=10.0, step=0.1, value=1.0, css_classes=["qge-trivial"]
)
x = np.linspace(0.0, 10.0, 200)
source = ColumnDataSource({"x": x, "y": np.sin(slider.value * x)}, name="trivial|curve")
plot = figure(height=300, sizing_mode="stretch_width", x_axis_label="x", y_axis_label="y")
plot.line("x", "y", source=source, line_width=2)


def redraw(event):
    source.data.update(y=np.sin(event.new * x))


slider.param.watch(redraw, "value")
pn.Column(slider, pn.pane.Bokeh(plot, sizing_mode="stretch_width")).servable()
