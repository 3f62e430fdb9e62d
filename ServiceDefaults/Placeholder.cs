namespace Platform.ServiceDefaults;
