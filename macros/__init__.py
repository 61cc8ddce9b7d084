"""Excel's face: one small function per ShopOps ribbon button, called by xlwings `RunPython`.

The ribbon's single VBA callback runs `import macros; macros.run('<tag>')` with the button's
tag. Each button wraps the calling workbook in a LiveBook and runs the same routine the
`shopops` command runs (shopsheet.routines); problems go to the Problems sheet and a message
box, never a traceback.
"""

from macros.buttons import BUTTONS, run

__all__ = ["BUTTONS", "run"]
