; Inno Setup 6 script: installs the PyInstaller folder dist\clinic-backoffice.
; Built by installer\windows\build.ps1, which passes /DAppVersion=<version>.
#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z backoffice.iss
#endif

[Setup]
AppId={{6B0F5C55-2E1B-4C59-9E3A-0C1B7F4D2A61}
AppName=Clinic Back-office
AppVersion={#AppVersion}
AppPublisher=Clinic back-office team
DefaultDirName={autopf}\Clinic Back-office
DefaultGroupName=Clinic Back-office
DisableProgramGroupPage=yes
; Per-user install without administrator rights is offered; all users is the default.
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=clinic-backoffice-{#AppVersion}-windows-x86_64-setup
SetupIconFile=..\..\build\icons\backoffice.ico
UninstallDisplayIcon={app}\Clinic Back-office.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\clinic-backoffice\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Clinic Back-office"; Filename: "{app}\Clinic Back-office.exe"
Name: "{autodesktop}\Clinic Back-office"; Filename: "{app}\Clinic Back-office.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Clinic Back-office.exe"; Description: "{cm:LaunchProgram,Clinic Back-office}"; Flags: nowait postinstall skipifsilent
