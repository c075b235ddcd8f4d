"""Reports: the data each report needs, SVG charts, and sandboxed template environments."""
