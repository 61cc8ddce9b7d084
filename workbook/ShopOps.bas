Attribute VB_Name = "ShopOps"
' ShopOps ribbon callback. Every button on the ShopOps tab calls ShopOps_Button; the button's
' tag names the function in the Python package "macros" that does the work (macros/buttons.py).
' Python reads and writes the workbook through xlwings; nothing is computed here.
Option Explicit

Public Sub ShopOps_Button(control As IRibbonControl)
    Dim extra As String
    If control.Tag = "import_orders" Or control.Tag = "settle" Then
        extra = ChosenFiles(control.Tag)
        If extra = "" Then Exit Sub
    End If
    RunPython "import macros; macros.run('" & control.Tag & "'" & extra & ")"
End Sub

Private Function ChosenFiles(tag As String) As String
    ' The files picked in a file dialog (order exports, or settlement files), as further
    ' Python string arguments.
    Dim picked As Variant, i As Long, out As String, what As String
    what = "Order exports"
    If tag = "settle" Then what = "Settlement files"
    picked = Application.GetOpenFilename( _
        what & " (*.xlsx;*.xls;*.csv),*.xlsx;*.xls;*.csv", , "ShopOps: " & LCase(what), , True)
    If Not IsArray(picked) Then Exit Function
    For i = LBound(picked) To UBound(picked)
        out = out & ", r'''" & picked(i) & "'''"
    Next i
    ChosenFiles = out
End Function
