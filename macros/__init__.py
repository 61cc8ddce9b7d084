"""Excel's face: one small function per ShopOps ribbon button, called by xlwings `RunPython`.

Each function wraps the Excel workbook in a LiveBook and calls the same routine the `shopops`
command runs (shopsheet.routines). The ribbon and LiveBook arrive with issue 4; until then this
package holds no buttons.
"""
