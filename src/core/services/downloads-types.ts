import { type DownloadJob, type DownloadSource, type HubInspection, type HubRepo, type ModelFit, type StarterModel } from '../../shared/contract';
import { type LocalModelEntry } from '../../shared/domain';

/** Hugging Face search and remote GGUF inspection (`hub.*` routes). */
export interface HubService {
  search(input: { query: string; limit: number; sort: 'downloads' | 'likes' | 'updated'; quantizations?: string[]; maxSizeBytes?: number }, signal?: AbortSignal): Promise<{ hubUrl: string; repos: HubRepo[] }>;
  repo(repo: string, signal?: AbortSignal): Promise<HubRepo>;
  inspect(repo: string, file: string, signal?: AbortSignal): Promise<HubInspection>;
}

/** The download manager as the contract sees it (`downloads.*` routes). */
export interface DownloadsService {
  list(): DownloadJob[];
  start(source: DownloadSource): Promise<DownloadJob>;
  pause(id: string): Promise<DownloadJob>;
  resume(id: string): Promise<DownloadJob>;
  cancel(id: string): Promise<DownloadJob>;
  retry(id: string): Promise<DownloadJob>;
  dismiss(id: string): { dismissed: boolean };
  starter(start: boolean): Promise<{ starter: StarterModel; job: DownloadJob | null; presentAt: string | null }>;
}

/** Local model files: delete, import, fit (`models.delete|import|fit`). */
export interface ModelFilesService {
  delete(id: string): Promise<{ deleted: string }>;
  import(path: string): Promise<LocalModelEntry>;
  fit(id: string): Promise<ModelFit>;
}
