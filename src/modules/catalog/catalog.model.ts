/** The catalog's domain types: what is written (inputs) and what is read (views). */
import type {
  BasicLibrary,
  BasisKind,
  Category,
  DataGrade,
  DataType,
  EntryStatus,
  FormatCategory,
  Masking,
  OpenType,
  Sensitivity,
  ShareMode,
  ShareType,
  UpdateCycle,
} from './catalog.values.js';

/** A data item (信息项) as written. */
export interface ItemInput {
  name: string;
  dataType: DataType;
  /** Length for C/N/Y/B/F types; null otherwise. */
  length?: number | null;
  description?: string;
  /** 责任采集部门: the organization whose version of this item stands. Defaults to the provider. */
  collectingOrgId?: string | null;
  sensitivity?: Sensitivity;
  /** Default masking when shared; a grant may be stricter. */
  masking?: Masking;
  /** Reference to a standard data element (数据元), e.g. 'GB/T 2261.1 性别代码'. */
  standardElement?: string | null;
}

export interface CensusInput {
  storageGb?: number | null;
  recordCount?: number | null;
  sharedGb?: number | null;
  sharedRecords?: number | null;
  openedGb?: number | null;
  openedRecords?: number | null;
}

/** A catalog entry (目录) as written through the API, the spreadsheet import or the demo. */
export interface EntryInput {
  /** 分类码: 类 (1 digit 1/2/3) + 项 (2) + 目 (3) + optional 细目 digits, e.g. '101001'. */
  classCode: string;
  /** The classification's names, e.g. '基础信息资源/人口/户籍'. */
  className: string;
  name: string;
  providerOrgId: string;
  providerUnit?: string;
  summary: string;
  formatCategory: FormatCategory;
  formatType: string;
  shareType: ShareType;
  /** Required for conditional sharing: to whom / what scope. */
  shareConditionScope?: string;
  /** Required for conditional sharing: for what use. */
  shareConditionUse?: string;
  /** Required for not shared: the kind of legal basis and its citation. */
  notSharedBasisKind?: BasisKind | null;
  notSharedBasis?: string;
  shareModes: ShareMode[];
  openType: OpenType;
  /** Required for authorized opening. */
  openCondition?: string;
  updateCycle: UpdateCycle;
  relatedCodes?: string[];
  sourceSystem?: string;
  basicLibrary?: BasicLibrary | null;
  /** 涉密: a classified resource may not enter the platform at all. */
  classified?: boolean;
  /** 数据分类, e.g. '个人信息' or '公共管理数据'. */
  dataCategory?: string;
  dataGrade: DataGrade;
  census?: CensusInput;
  items: ItemInput[];
}

export interface ItemView {
  seq: number;
  /** The item code: resource code + '/' + 3-digit item number. */
  code: string;
  name: string;
  dataType: DataType;
  length: number | null;
  description: string;
  collectingOrgId: string | null;
  collectingOrgName: string | null;
  sensitivity: Sensitivity;
  masking: Masking;
  standardElement: string | null;
}

export interface EntryView {
  id: string;
  /** Set on a revision of a published entry: the entry it will replace when published. */
  revisionOf: string | null;
  code: string;
  classCode: string;
  category: Category;
  className: string;
  name: string;
  providerOrgId: string;
  providerName: string;
  providerCreditCode: string;
  providerDivisionCode: string;
  providerUnit: string;
  summary: string;
  formatCategory: FormatCategory;
  formatType: string;
  shareType: ShareType;
  shareConditionScope: string;
  shareConditionUse: string;
  notSharedBasisKind: BasisKind | null;
  notSharedBasis: string;
  shareModes: ShareMode[];
  openType: OpenType;
  openCondition: string;
  updateCycle: UpdateCycle;
  publishDate: string | null;
  relatedCodes: string[];
  sourceSystem: string;
  basicLibrary: BasicLibrary | null;
  classified: boolean;
  dataCategory: string;
  dataGrade: DataGrade;
  census: {
    storageGb: number | null;
    recordCount: number | null;
    sharedGb: number | null;
    sharedRecords: number | null;
    openedGb: number | null;
    openedRecords: number | null;
  };
  status: EntryStatus;
  version: number;
  assessments: {
    confidentiality: string | null;
    personalInformation: string | null;
    assessedAt: string | null;
    headApprovedAt: string | null;
  };
  submittedAt: string | null;
  reviewDue: string | null;
  returnedReason: string | null;
  publishedAt: string | null;
  withdrawnReason: string | null;
  createdAt: string;
  updatedAt: string;
  items: ItemView[];
}
